import 'server-only';
import { headers } from 'next/headers';
import { getEnv } from '@/lib/env';
import { resolveClientIp } from './client-ip';

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export function clientInfoFrom(h: Headers): ClientInfo {
  return { ip: resolveClientIp(h, getEnv().TRUST_PROXY), userAgent: h.get('user-agent')?.slice(0, 512) ?? null };
}

/** IP and user agent of the request being handled (server components, actions, route handlers). */
export async function getClientInfo(): Promise<ClientInfo> {
  return clientInfoFrom(await headers());
}

export { resolveClientIp, PEER_HEADER } from './client-ip';
