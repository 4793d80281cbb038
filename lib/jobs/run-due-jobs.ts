import 'server-only';
import { and, eq, isNull, lte, lt, or } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, SYSTEM_ACTOR, writeEvent } from '@/lib/events';
import { errorFields, log } from '@/lib/log';
import type { JobDefinition } from './types';

/** How long a claimed run may take before another instance may take the job over. */
export const JOB_LEASE_SECONDS = 15 * 60;
/** After a failure, try again this soon (or at the normal interval when that is shorter). */
const RETRY_AFTER_FAILURE_SECONDS = 60;

export interface JobOutcome {
  name: string;
  status: 'ran' | 'failed';
  summary?: Record<string, unknown>;
}

/**
 * Claims one job if it is due and nobody holds its lease: one UPDATE, so of any number of instances
 * ticking at once exactly one gets it.
 */
async function claimJob(job: JobDefinition): Promise<boolean> {
  const t = schema.scheduledJobs;
  const at = now();
  await getDb().insert(t).values({ name: job.name, nextRunAt: at }).onConflictDoNothing();
  const claimed = await getDb()
    .update(t)
    .set({ leaseUntil: addSeconds(at, JOB_LEASE_SECONDS), lastStartedAt: at })
    .where(and(eq(t.name, job.name), lte(t.nextRunAt, at), or(isNull(t.leaseUntil), lt(t.leaseUntil, at))))
    .returning({ name: t.name });
  return claimed.length === 1;
}

async function finishJob(job: JobDefinition, error: unknown): Promise<void> {
  const t = schema.scheduledJobs;
  const at = now();
  const wait = error ? Math.min(job.everySeconds, RETRY_AFTER_FAILURE_SECONDS) : job.everySeconds;
  const lastError = error ? (error instanceof Error ? error.message : String(error)).slice(0, 1000) : null;
  await getDb().transaction(async (tx) => {
    await tx
      .update(t)
      .set({ nextRunAt: addSeconds(at, wait), leaseUntil: null, lastFinishedAt: at, lastError })
      .where(eq(t.name, job.name));
    if (error) {
      await writeEvent(tx, {
        kind: EVENT.jobFailed,
        outcome: 'failure',
        actor: SYSTEM_ACTOR,
        details: { job: job.name, error: lastError },
      });
    }
  });
}

/** Runs every job that is due and not running elsewhere. Failures are logged and evented, never thrown. */
export async function runDueJobs(jobs: readonly JobDefinition[]): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    if (!(await claimJob(job))) continue;
    try {
      const summary = (await job.run()) ?? undefined;
      await finishJob(job, null);
      if (summary) log.info('job ran', { job: job.name, ...summary });
      outcomes.push({ name: job.name, status: 'ran', summary });
    } catch (error) {
      log.error('job failed', { job: job.name, ...errorFields(error) });
      await finishJob(job, error).catch((e: unknown) => log.error('job bookkeeping failed', { job: job.name, ...errorFields(e) }));
      outcomes.push({ name: job.name, status: 'failed' });
    }
  }
  return outcomes;
}
