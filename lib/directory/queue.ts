import 'server-only';
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { rowsOf, schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb, uniqueViolation } from '@/lib/db';
import { EVENT, SYSTEM_ACTOR, writeEvent, writeEvents, type Actor } from '@/lib/events';
import { errorFields, log } from '@/lib/log';
import type { ClientInfo } from '@/lib/request';
import { executeRun, leaseSeconds, runActor, type RunRow } from './run-sync';
import { loadDirectoryConfig } from './settings';

/** Serialises enqueueing so two clicks (or instances) don't queue the same run twice. */
const ENQUEUE_LOCK_KEY = 7_216_452_066;

/** A sync the admin can't start now, with the reason. */
export class SyncRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncRefusedError';
  }
}

export interface RequestSyncInput {
  trigger: 'manual' | 'schedule';
  dryRun?: boolean;
  actor: Actor;
  /** Manual runs start at once in this process (Sync Now); the job runner picks them up anyway. Default true for manual. */
  startNow?: boolean;
}

/** Queues a sync (or returns the one of the same kind already queued). Refused when Directory Services isn't configured. */
export async function requestSync(input: RequestSyncInput): Promise<{ runId: string; alreadyQueued: boolean }> {
  if (!(await loadDirectoryConfig())) throw new SyncRefusedError('Directory Services is not configured yet: save the settings first.');
  const r = schema.directorySyncRuns;
  const dryRun = input.dryRun ?? false;
  const result = await getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ENQUEUE_LOCK_KEY})`);
    const [queued] = await tx
      .select({ id: r.id })
      .from(r)
      .where(and(eq(r.status, 'queued'), eq(r.dryRun, dryRun)))
      .limit(1);
    if (queued) return { runId: queued.id, alreadyQueued: true };
    const [row] = await tx
      .insert(r)
      .values({ trigger: input.trigger, dryRun, requestedByType: input.actor.type, requestedById: input.actor.id ?? null, requestedByLabel: input.actor.label ?? null, requestedAt: now() })
      .returning({ id: r.id });
    return { runId: row!.id, alreadyQueued: false };
  });
  if ((input.startNow ?? input.trigger === 'manual') && !result.alreadyQueued) kickQueue();
  return result;
}

function kickQueue() {
  void processSyncQueue().catch((error: unknown) => log.error('directory sync queue failed', errorFields(error)));
}

/**
 * Apply anyway: approves a run that stopped at the safety limit and queues a run that applies. The new
 * run searches again and applies only if it would disable no more users than the approved run.
 */
export async function applySyncAnyway(runId: string, actor: Actor, client: ClientInfo): Promise<{ runId: string }> {
  const r = schema.directorySyncRuns;
  const result = await getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ENQUEUE_LOCK_KEY})`);
    const [run] = await tx.select().from(r).where(eq(r.id, runId)).for('update');
    if (!run || run.status !== 'waiting_approval') throw new SyncRefusedError('This run is not waiting for approval.');
    const [newer] = await tx
      .select({ id: r.id })
      .from(r)
      .where(and(eq(r.dryRun, false), gt(r.requestedAt, run.requestedAt), inArray(r.status, ['succeeded', 'waiting_approval', 'queued', 'running'])))
      .limit(1);
    if (newer) throw new SyncRefusedError('A newer sync has run or is queued since: review that one instead.');
    await tx.update(r).set({ status: 'approved' }).where(eq(r.id, runId));
    const [row] = await tx
      .insert(r)
      .values({
        trigger: 'manual',
        approvesRunId: runId,
        approvedDisables: run.disabled,
        requestedByType: actor.type,
        requestedById: actor.id ?? null,
        requestedByLabel: actor.label ?? null,
        requestedAt: now(),
      })
      .returning({ id: r.id });
    await writeEvent(tx, {
      kind: EVENT.directorySyncAppliedAnyway,
      actor,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { approvedSyncRunId: runId, syncRunId: row!.id, approvedDisables: run.disabled, directoryUsers: run.directoryUsersBefore },
    });
    return { runId: row!.id };
  });
  kickQueue();
  return result;
}

/** Queues a scheduled run when the schedule is due (once across instances); not while one is queued or running. */
export async function enqueueScheduledSync(): Promise<boolean> {
  const s = schema.directorySettings;
  const r = schema.directorySyncRuns;
  return getDb().transaction(async (tx) => {
    const at = now();
    const due = await tx
      .update(s)
      .set({ nextScheduledAt: sql`${at.toISOString()}::timestamptz + make_interval(mins => ${s.scheduleMinutes})` })
      .where(and(eq(s.id, 1), sql`${s.scheduleMinutes} is not null`, sql`(${s.nextScheduledAt} is null or ${s.nextScheduledAt} <= ${at.toISOString()}::timestamptz)`))
      .returning({ id: s.id });
    if (due.length === 0) return false;
    await tx.execute(sql`select pg_advisory_xact_lock(${ENQUEUE_LOCK_KEY})`);
    const [pending] = await tx
      .select({ id: r.id })
      .from(r)
      .where(and(eq(r.dryRun, false), inArray(r.status, ['queued', 'running'])))
      .limit(1);
    if (pending) return false;
    await tx.insert(r).values({ trigger: 'schedule', requestedByType: SYSTEM_ACTOR.type, requestedByLabel: SYSTEM_ACTOR.label, requestedAt: at });
    return true;
  });
}

/** Runs whose instance stopped heartbeating (crash, kill, lost network) are marked failed. */
async function failAbandonedRuns(): Promise<number> {
  const r = schema.directorySyncRuns;
  return getDb().transaction(async (tx) => {
    const at = now();
    const lost = await tx
      .update(r)
      .set({
        status: 'failed',
        phase: 'done',
        finishedAt: at,
        leaseUntil: null,
        error: 'The instance running this sync stopped before it finished. Changes applied before it stopped are kept; the next sync completes the rest.',
      })
      .where(and(eq(r.status, 'running'), lt(r.leaseUntil, at)))
      .returning();
    await writeEvents(
      tx,
      lost.map((run) => ({
        kind: EVENT.directorySyncFailed,
        outcome: 'failure' as const,
        actor: SYSTEM_ACTOR,
        details: { syncRunId: run.id, trigger: run.trigger, dryRun: run.dryRun, reason: 'abandoned', error: run.error },
      })),
    );
    return lost.length;
  });
}

const isUniqueViolation = (error: unknown) => uniqueViolation(error) !== undefined;

/** Claims the oldest queued run if none is running anywhere (the partial unique index settles races). */
async function claimNextRun(): Promise<RunRow | null> {
  const r = schema.directorySyncRuns;
  const config = await loadDirectoryConfig();
  try {
    return await getDb().transaction(async (tx) => {
      const at = now();
      const claimed = rowsOf<{ id: string }>(
        await tx.execute(sql`
          update ${r} set status = 'running', phase = 'connecting', started_at = ${at.toISOString()}, heartbeat_at = ${at.toISOString()},
            lease_until = ${addSeconds(at, leaseSeconds(config)).toISOString()}
          where id = (select id from ${r} where status = 'queued' order by requested_at, id limit 1 for update skip locked)
            and not exists (select 1 from ${r} where status = 'running')
          returning id`),
      );
      if (!claimed[0]) return null;
      const [run] = await tx.select().from(r).where(eq(r.id, claimed[0].id));
      await writeEvent(tx, {
        kind: EVENT.directorySyncStarted,
        actor: runActor(run!),
        details: { syncRunId: run!.id, trigger: run!.trigger, dryRun: run!.dryRun, ...(run!.approvesRunId ? { approvedSyncRunId: run!.approvesRunId } : {}) },
      });
      return run!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/**
 * The queue worker: marks abandoned runs failed, then runs queued runs one at a time while this
 * instance can claim them (one running run across all instances). Called by the job runner every
 * tick and right after Sync Now. Returns the ids of the runs it ran (an interrupted one included).
 */
export async function processSyncQueue(ctx: { signal?: AbortSignal } = {}): Promise<string[]> {
  await failAbandonedRuns();
  const ran: string[] = [];
  for (let i = 0; i < 10 && !ctx.signal?.aborted; i++) {
    const run = await claimNextRun();
    if (!run) break;
    await executeRun(run, ctx.signal);
    ran.push(run.id);
  }
  return ran;
}

/**
 * The job runner's entry: enqueue a scheduled run when due, then work the queue. When `signal` aborts
 * (shutdown), the running run stops between LDAP pages or apply batches, ends as failed ("stopped because
 * the server was shutting down") with a new run queued in its place, and its lease is released.
 */
export async function runDirectorySyncJob(ctx: { signal?: AbortSignal } = {}): Promise<Record<string, unknown> | undefined> {
  const scheduled = await enqueueScheduledSync();
  const ran = await processSyncQueue(ctx);
  return scheduled || ran.length ? { scheduled, ran: ran.length } : undefined;
}

