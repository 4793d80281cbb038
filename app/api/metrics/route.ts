import { authorizeMetrics, collectMetrics } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus metrics. Exists only with METRICS_TOKEN set, and needs it as a bearer token. */
export async function GET(request: Request) {
  const access = authorizeMetrics(request.headers.get('authorization'));
  if (access === 'disabled') return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  if (access === 'unauthorized') {
    return new Response('A bearer token is required.', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Cache-Control': 'no-store' } });
  }
  return new Response(await collectMetrics(), {
    headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
