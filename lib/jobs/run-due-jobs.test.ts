import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { generateTestCode } from '@/lib/registration-codes/testing';
import { insertTestUser } from '@/lib/testing/factories';
import { JOB_LEASE_SECONDS, JOBS, runDueJobs, type JobDefinition } from '.';

const T0 = new Date('2031-02-03T04:05:06.000Z');
beforeEach(() => setClock(T0));
afterEach(() => resetClock());

function countingJob(name: string, everySeconds = 300) {
  const job = { name, everySeconds, runs: 0, run: async () => void job.runs++ };
  return job satisfies JobDefinition & { runs: number };
}

const jobFailedEvents = (name: string) =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.type, 'System'), eq(schema.events.subType, 'Job Failed')))
    .then((rows) => rows.filter((r) => r.details.job === name));

describe('runDueJobs', () => {
  it('runs a due job once however many instances tick at the same moment', async () => {
    const job = countingJob('once-across-instances');
    const ticks = await Promise.all(Array.from({ length: 8 }, () => runDueJobs([job])));
    expect(job.runs).toBe(1);
    expect(ticks.flat()).toEqual([{ name: job.name, status: 'ran' }]);
  });

  it('waits for the interval before running again', async () => {
    const job = countingJob('interval', 300);
    await runDueJobs([job]);
    advanceClock(299_000);
    await runDueJobs([job]);
    expect(job.runs).toBe(1);
    advanceClock(1_000);
    await runDueJobs([job]);
    expect(job.runs).toBe(2);
  });

  it('records a failure as an event and retries within a minute, without throwing', async () => {
    let fail = true;
    const job: JobDefinition = {
      name: 'flaky',
      everySeconds: 3600,
      run: async () => {
        if (fail) throw new Error('directory unreachable');
      },
    };
    expect(await runDueJobs([job])).toEqual([{ name: 'flaky', status: 'failed' }]);
    const [event] = await jobFailedEvents('flaky');
    expect(event).toMatchObject({ outcome: 'failure', actorType: 'system', details: { job: 'flaky', error: 'directory unreachable' } });
    const [row] = await getDb().select().from(schema.scheduledJobs).where(eq(schema.scheduledJobs.name, 'flaky'));
    expect(row).toMatchObject({ lastError: 'directory unreachable', leaseUntil: null });
    fail = false;
    advanceClock(59_000);
    expect(await runDueJobs([job])).toEqual([]);
    advanceClock(1_000);
    expect(await runDueJobs([job])).toEqual([{ name: 'flaky', status: 'ran' }]);
    const [after] = await getDb().select().from(schema.scheduledJobs).where(eq(schema.scheduledJobs.name, 'flaky'));
    expect(after!.lastError).toBeNull();
  });

  it('lets another instance take over a job whose run never finished once the lease is over', async () => {
    const job = countingJob('crashed-instance', 60);
    // An instance claimed the job and died mid-run: its lease is still set.
    await getDb()
      .insert(schema.scheduledJobs)
      .values({ name: job.name, nextRunAt: T0, leaseUntil: new Date(T0.getTime() + JOB_LEASE_SECONDS * 1000), lastStartedAt: T0 });
    await runDueJobs([job]);
    expect(job.runs).toBe(0);
    advanceClock(JOB_LEASE_SECONDS * 1000 + 1);
    await runDueJobs([job]);
    expect(job.runs).toBe(1);
  });

  it('the registered sweep marks expired registration codes without anyone touching them', async () => {
    const user = await insertTestUser();
    const code = await generateTestCode(user.id);
    setClock(code.expiresAt);
    const outcomes = await runDueJobs(JOBS);
    expect(outcomes).toContainEqual({ name: 'sweep-expired-registration-codes', status: 'ran', summary: { expired: 1 } });
    const rc = schema.registrationCodes;
    const [row] = await getDb().select({ status: rc.status }).from(rc).where(eq(rc.id, code.id));
    expect(row!.status).toBe('expired');
  });
});
