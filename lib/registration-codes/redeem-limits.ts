import 'server-only';
import { incrementCounter, readCounter } from '@/lib/rate-limit';

/**
 * Failed redemptions are what a guesser produces, so they are what is limited: per IP and across
 * every client (the global cap is what bounds the odds of guessing any valid code; see README).
 */
export const REDEEM_LIMITS = {
  perIp: { limit: 10, windowSeconds: 60 },
  global: { limit: 1_000, windowSeconds: 3_600 },
} as const;

const ipKey = (ip: string) => `redeem:ip:${ip}`;
const GLOBAL_KEY = 'redeem:global';

/** Seconds to wait when either limit is used up, else undefined. Reads only: a refusal costs nothing. */
export async function redeemRetryAfter(ip: string): Promise<number | undefined> {
  const { perIp, global } = REDEEM_LIMITS;
  const [mine, all] = await Promise.all([readCounter(ipKey(ip), perIp.windowSeconds), readCounter(GLOBAL_KEY, global.windowSeconds)]);
  const waits = [mine.count >= perIp.limit ? mine.retryAfterSeconds : 0, all.count >= global.limit ? all.retryAfterSeconds : 0];
  const wait = Math.max(...waits);
  return wait > 0 ? wait : undefined;
}

export async function countRedeemFailure(ip: string): Promise<void> {
  await incrementCounter(ipKey(ip), REDEEM_LIMITS.perIp.windowSeconds);
  await incrementCounter(GLOBAL_KEY, REDEEM_LIMITS.global.windowSeconds);
}

/** The counter keys (tests pre-fill them instead of making thousands of calls). */
export const REDEEM_COUNTER_KEYS = { ip: ipKey, global: GLOBAL_KEY } as const;
