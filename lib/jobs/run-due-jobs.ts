import 'server-only';
import { and, eq, inArray, isNotNull, isNull, lte, lt, or } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, SYSTEM_ACTOR, writeEvent } from '@/lib/events';
import { errorFields, log, runWithRequestId } from '@/lib/log';
import { onShutdownRelease, shutdownSignal, shutdownState, type ShutdownState } from './shutdown';
import type { JobDefinition } from './types';

/** How long a claimed run may take before another instance may take the job over. */
export const JOB_LEASE_SECONDS = 15 * 60;
/** After a failure, try again this soon (or at the normal interval when that is shorter). */
const RETRY_AFTER_FAILURE_SECONDS = 60;

export interface JobOutcome {
  name: string;
  /** interrupted: stopped by shutdown; the claim was released and the job is due again at once. */
  status: 'ran' | 'failed' | 'interrupted';
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

/**
 * Gives back claims this instance holds (at shutdown, after running jobs had their chance to stop):
 * the job is due at once so another instance takes it on its next tick instead of waiting for the lease.
 */
export async function releaseJobClaims(names: Iterable<string>): Promise<void> {
  const list = [...names];
  if (list.length === 0) return;
  const t = schema.scheduledJobs;
  await getDb()
    .update(t)
    .set({ leaseUntil: null, nextRunAt: now() })
    .where(and(inArray(t.name, list), isNotNull(t.leaseUntil)));
  log.info('job claims released', { jobs: list });
}

/** Claims held by this process right now (released by the shutdown hook if still held then). */
const HELD = Symbol.for('onramp.heldJobClaims');
type WithHeld = typeof globalThis & { [HELD]?: { names: Set<string>; hookedTo?: ShutdownState } };
function heldClaims(): Set<string> {
  const g = globalThis as WithHeld;
  const held = (g[HELD] ??= { names: new Set<string>() });
  const state = shutdownState();
  if (held.hookedTo !== state) {
    held.hookedTo = state;
    onShutdownRelease(() => releaseJobClaims(held.names));
  }
  return held.names;
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
export async function runDueJobs(jobs: readonly JobDefinition[], signal: AbortSignal = shutdownSignal()): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  const held = heldClaims();
  for (const job of jobs) {
    if (signal.aborted) break;
    if (!(await claimJob(job))) continue;
    held.add(job.name);
    try {
      outcomes.push(await runWithRequestId(undefined, () => runClaimedJob(job, signal)));
    } finally {
      held.delete(job.name);
    }
  }
  return outcomes;
}

async function runClaimedJob(job: JobDefinition, signal: AbortSignal): Promise<JobOutcome> {
  try {
    const summary = (await job.run({ signal })) ?? undefined;
    if (signal.aborted) return await interrupted(job);
    await finishJob(job, null);
    if (summary) log.info('job ran', { job: job.name, ...summary });
    return { name: job.name, status: 'ran', summary };
  } catch (error) {
    if (signal.aborted) return await interrupted(job);
    log.error('job failed', { job: job.name, ...errorFields(error) });
    await finishJob(job, error).catch((e: unknown) => log.error('job bookkeeping failed', { job: job.name, ...errorFields(e) }));
    return { name: job.name, status: 'failed' };
  }
}

/** A run stopped by shutdown: not a failure; due again at once (the next run completes the work). */
async function interrupted(job: JobDefinition): Promise<JobOutcome> {
  log.info('job interrupted by shutdown', { job: job.name });
  await releaseJobClaims([job.name]);
  return { name: job.name, status: 'interrupted' };
}
