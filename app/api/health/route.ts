export const dynamic = 'force-dynamic';

/** Liveness: the process answers. Public, no secrets. */
export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
