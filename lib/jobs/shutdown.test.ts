import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { runDueJobs, shutDownBackgroundWork, shutdownSignal, trackBackgroundWork, type JobDefinition } from '.';
import { resetShutdownState } from './shutdown';

const T0 = new Date('2031-05-06T07:08:09.000Z');
beforeEach(() => {
  setClock(T0);
  resetShutdownState();
});
afterEach(() => {
  resetClock();
  resetShutdownState();
});

const jobRow = async (name: string) => (await getDb().select().from(schema.scheduledJobs).where(eq(schema.scheduledJobs.name, name)))[0]!;

/** A job that works in steps until the signal says stop; `started` resolves when it is running. */
function steppingJob(name: string, honoursSignal: boolean) {
  let markStarted!: () => void;
  let finish!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  const finished = new Promise<void>((r) => (finish = r));
  const seen: { steps: number; signal?: AbortSignal } = { steps: 0 };
  const job: JobDefinition = {
    name,
    everySeconds: 3600,
    run: async ({ signal }) => {
      seen.signal = signal;
      markStarted();
      while (!(honoursSignal && signal.aborted)) {
        seen.steps += 1;
        await new Promise((r) => setTimeout(r, 5));
        if (!honoursSignal && signal.aborted) {
          await finished;
          break;
        }
      }
      return { steps: seen.steps };
    },
  };
  return { job, started, seen, finish };
}

describe('shutdown', () => {
  it('passes the shutdown signal to a job; a job that stops on it is interrupted, its claim released and due again at once', async () => {
    const { job, started, seen } = steppingJob('stops-on-signal', true);
    const run = trackBackgroundWork(runDueJobs([job]));
    await started;
    expect(seen.signal).toBe(shutdownSignal());
    expect((await jobRow(job.name)).leaseUntil).not.toBeNull();

    const { timedOut } = await shutDownBackgroundWork(10_000);
    expect(timedOut).toBe(false);
    expect(await run).toEqual([{ name: job.name, status: 'interrupted' }]);
    const row = await jobRow(job.name);
    expect(row.leaseUntil).toBeNull();
    expect(row.nextRunAt.getTime()).toBe(T0.getTime());
    expect(row.lastError).toBeNull();
    // Due at once: the next tick (here or on another instance) runs it to the end.
    resetShutdownState();
    const again = steppingJob('stops-on-signal', true);
    const next = runDueJobs([again.job]);
    await again.started;
    await shutDownBackgroundWork(10_000);
    expect(await next).toEqual([{ name: job.name, status: 'interrupted' }]);
  });

  it('after the timeout, releases the claim of a job that ignores the signal, so another instance can take it', async () => {
    const { job, started, finish } = steppingJob('ignores-signal', false);
    const run = trackBackgroundWork(runDueJobs([job]));
    await started;
    const { timedOut } = await shutDownBackgroundWork(200);
    expect(timedOut).toBe(true);
    const row = await jobRow(job.name);
    expect(row.leaseUntil).toBeNull();
    expect(row.nextRunAt.getTime()).toBe(T0.getTime());
    finish();
    expect(await run).toEqual([{ name: job.name, status: 'interrupted' }]);
  });

  it('claims nothing once shutdown has begun', async () => {
    let ran = false;
    await shutDownBackgroundWork(1_000);
    expect(await runDueJobs([{ name: 'late', everySeconds: 60, run: async () => void (ran = true) }])).toEqual([]);
    expect(ran).toBe(false);
  });

  it('waits for tracked work before running the release hooks', async () => {
    const order: string[] = [];
    const { onShutdownRelease } = await import('.');
    trackBackgroundWork(new Promise<void>((r) => setTimeout(() => (order.push('work done'), r()), 50)));
    onShutdownRelease(async () => void order.push('released'));
    await shutDownBackgroundWork(5_000);
    expect(order).toEqual(['work done', 'released']);
  });
});
