import { checkReadiness } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** Readiness: database reachable and migrations applied. Public, no secrets. */
export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
