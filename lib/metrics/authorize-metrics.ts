import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getEnv } from '@/lib/env';

export type MetricsAccess = 'disabled' | 'unauthorized' | 'ok';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * /api/metrics is for the Prometheus scraper only: without METRICS_TOKEN it does not exist (404);
 * otherwise it needs `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time.
 */
export function authorizeMetrics(authorization: string | null): MetricsAccess {
  const token = getEnv().METRICS_TOKEN;
  if (!token) return 'disabled';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return 'unauthorized';
  return timingSafeEqual(digest(match[1]!), digest(token)) ? 'ok' : 'unauthorized';
}
