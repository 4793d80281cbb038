/** The header our server (server.mjs) sets from the TCP peer address, overwriting any sent by a client. */
export const PEER_HEADER = 'x-onramp-peer';

function normalise(ip: string): string {
  const v = ip.trim();
  return v.startsWith('::ffff:') && v.includes('.') ? v.slice(7) : v;
}

/**
 * The client's IP. Without trusted proxies it is the socket peer. With `trustProxy` = N hops, the
 * address N entries from the right of X-Forwarded-For + peer: the left-most address added by a proxy
 * we trust. Client-supplied entries further left are ignored.
 */
export function resolveClientIp(headers: Headers, trustProxy: number): string {
  const peer = headers.get(PEER_HEADER);
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!peer) return 'unknown';
  if (trustProxy <= 0) return normalise(peer);
  const all = [...chain, peer];
  const index = all.length - 1 - trustProxy;
  return normalise(all[Math.max(0, index)]!);
}
