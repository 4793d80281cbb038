import 'server-only';
import { now } from '@/lib/clock';
import { incrementCounter, readCounter, windowOf } from '@/lib/rate-limit';

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

/** One counter to check: its key in rate_limits, the start of its current window and the seconds left in it. */
export interface RedeemWindow {
  key: string;
  limit: number;
  windowStart: Date;
  retryAfterSeconds: number;
}

/** The window `at` falls in, exactly as lib/rate-limit counts it. */
function windowAt(key: string, limit: number, windowSeconds: number, at: Date): RedeemWindow {
  const { start, retryAfterSeconds } = windowOf(windowSeconds, at);
  return { key, limit, windowStart: start, retryAfterSeconds };
}

/**
 * The per-IP and global counters' current windows, for the redemption statement that reads them in
 * the same round trip as its claim (redeem-code.ts); lib/rate-limit still does the counting.
 */
export function redeemWindows(ip: string, at: Date): { perIp: RedeemWindow; global: RedeemWindow } {
  const { perIp, global } = REDEEM_LIMITS;
  return {
    perIp: windowAt(ipKey(ip), perIp.limit, perIp.windowSeconds, at),
    global: windowAt(GLOBAL_KEY, global.limit, global.windowSeconds, at),
  };
}

/** Seconds to wait given the two counts just read, else undefined: the longer wait of the limits used up. */
export function retryAfterFor(windows: ReturnType<typeof redeemWindows>, ipCount: number, globalCount: number): number | undefined {
  const waits = [
    ipCount >= windows.perIp.limit ? windows.perIp.retryAfterSeconds : 0,
    globalCount >= windows.global.limit ? windows.global.retryAfterSeconds : 0,
  ];
  const wait = Math.max(...waits);
  return wait > 0 ? wait : undefined;
}

/** Seconds to wait when either limit is used up, else undefined. Reads only: a refusal costs nothing. */
export async function redeemRetryAfter(ip: string): Promise<number | undefined> {
  const { perIp, global } = REDEEM_LIMITS;
  const windows = redeemWindows(ip, now());
  const [mine, all] = await Promise.all([readCounter(ipKey(ip), perIp.windowSeconds), readCounter(GLOBAL_KEY, global.windowSeconds)]);
  return retryAfterFor(windows, mine.count, all.count);
}

export async function countRedeemFailure(ip: string): Promise<void> {
  await Promise.all([
    incrementCounter(ipKey(ip), REDEEM_LIMITS.perIp.windowSeconds),
    incrementCounter(GLOBAL_KEY, REDEEM_LIMITS.global.windowSeconds),
  ]);
}

/** The counter keys (tests pre-fill them instead of making thousands of calls). */
export const REDEEM_COUNTER_KEYS = { ip: ipKey, global: GLOBAL_KEY } as const;
