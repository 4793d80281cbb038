import 'server-only';
import { and, eq, lt, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';

/**
 * Fixed-window counters in Postgres, shared by every instance. A key names what is counted,
 * e.g. `signin:ip:203.0.113.9`.
 */
export interface WindowState {
  count: number;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

/** The fixed window `at` falls in: windows start at multiples of their length since the epoch. */
export function windowOf(windowSeconds: number, at = now()): { start: Date; retryAfterSeconds: number } {
  const ms = windowSeconds * 1000;
  const start = new Date(Math.floor(at.getTime() / ms) * ms);
  const retryAfterSeconds = Math.max(1, Math.ceil((start.getTime() + ms - at.getTime()) / 1000));
  return { start, retryAfterSeconds };
}

/** Adds one to the key's counter for the current window and returns the new count. */
export async function incrementCounter(key: string, windowSeconds: number, db: Executor = getDb()): Promise<WindowState> {
  const { start, retryAfterSeconds } = windowOf(windowSeconds);
  const t = schema.rateLimits;
  const [row] = await db
    .insert(t)
    .values({ key, windowStart: start, count: 1 })
    .onConflictDoUpdate({ target: [t.key, t.windowStart], set: { count: sql`${t.count} + 1` } })
    .returning({ count: t.count });
  return { count: row?.count ?? 1, retryAfterSeconds };
}

/** The key's count in the current window, without changing it. */
export async function readCounter(key: string, windowSeconds: number, db: Executor = getDb()): Promise<WindowState> {
  const { start, retryAfterSeconds } = windowOf(windowSeconds);
  const t = schema.rateLimits;
  const [row] = await db
    .select({ count: t.count })
    .from(t)
    .where(and(eq(t.key, key), eq(t.windowStart, start)));
  return { count: row?.count ?? 0, retryAfterSeconds };
}

export async function clearCounter(key: string, db: Executor = getDb()): Promise<void> {
  await db.delete(schema.rateLimits).where(eq(schema.rateLimits.key, key));
}

/** Counts one attempt and says whether it stays within `limit` for the window. */
export async function consumeLimit(
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<WindowState & { allowed: boolean }> {
  const state = await incrementCounter(key, windowSeconds);
  return { ...state, allowed: state.count <= limit };
}

/** Drops windows that ended more than a day ago (a scheduled job runs it hourly, see lib/jobs). */
export async function pruneCounters(): Promise<void> {
  const cutoff = new Date(now().getTime() - 24 * 3600 * 1000);
  await getDb().delete(schema.rateLimits).where(lt(schema.rateLimits.windowStart, cutoff));
}
