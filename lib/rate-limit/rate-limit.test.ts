import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { clearCounter, consumeLimit, incrementCounter, pruneCounters, readCounter } from '.';

const WINDOW = 60;

beforeEach(() => {
  // 15 seconds into a one-minute window.
  setClock(new Date('2030-03-04T08:00:15.000Z'));
});

afterEach(() => {
  resetClock();
});

describe('rate-limit counters', () => {
  it('counts per key', async () => {
    expect(await incrementCounter('t:a', WINDOW)).toEqual({ count: 1, retryAfterSeconds: 45 });
    expect(await incrementCounter('t:a', WINDOW)).toEqual({ count: 2, retryAfterSeconds: 45 });
    expect(await incrementCounter('t:b', WINDOW)).toEqual({ count: 1, retryAfterSeconds: 45 });
    expect(await readCounter('t:a', WINDOW)).toEqual({ count: 2, retryAfterSeconds: 45 });
    expect(await readCounter('t:never', WINDOW)).toEqual({ count: 0, retryAfterSeconds: 45 });
    // Reading does not count.
    expect((await readCounter('t:a', WINDOW)).count).toBe(2);
  });

  it('starts again in the next window', async () => {
    await incrementCounter('t:w', WINDOW);
    await incrementCounter('t:w', WINDOW);
    advanceClock(44_000);
    expect(await readCounter('t:w', WINDOW)).toEqual({ count: 2, retryAfterSeconds: 1 });
    advanceClock(1_000);
    expect(await readCounter('t:w', WINDOW)).toEqual({ count: 0, retryAfterSeconds: 60 });
    expect(await incrementCounter('t:w', WINDOW)).toEqual({ count: 1, retryAfterSeconds: 60 });
  });

  it('consumeLimit allows up to the limit and refuses beyond it', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await consumeLimit('t:limit', 3, WINDOW));
    expect(results.map((r) => [r.count, r.allowed])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(results[3]!.retryAfterSeconds).toBe(45);
    advanceClock(WINDOW * 1000);
    expect(await consumeLimit('t:limit', 3, WINDOW)).toEqual({ count: 1, allowed: true, retryAfterSeconds: 45 });
  });

  it('counts 50 concurrent increments exactly', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => incrementCounter('t:race', WINDOW)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await readCounter('t:race', WINDOW)).count).toBe(50);
  });

  it('clearCounter resets one key only', async () => {
    await incrementCounter('t:clear', WINDOW);
    advanceClock(WINDOW * 1000);
    await incrementCounter('t:clear', WINDOW);
    await incrementCounter('t:keep', WINDOW);
    await clearCounter('t:clear');
    expect((await readCounter('t:clear', WINDOW)).count).toBe(0);
    // Every window of the key is gone, not just the current one.
    const keys = (await getDb().select({ key: schema.rateLimits.key }).from(schema.rateLimits)).map((r) => r.key);
    expect(keys).not.toContain('t:clear');
    expect((await readCounter('t:keep', WINDOW)).count).toBe(1);
    expect((await incrementCounter('t:clear', WINDOW)).count).toBe(1);
  });

  it('prunes windows that ended more than a day ago', async () => {
    await incrementCounter('t:old', WINDOW);
    advanceClock(25 * 3600 * 1000);
    await incrementCounter('t:new', WINDOW);
    await pruneCounters();
    const keys = (await getDb().select({ key: schema.rateLimits.key }).from(schema.rateLimits)).map((r) => r.key);
    expect(keys).toContain('t:new');
    expect(keys).not.toContain('t:old');
  });
});
