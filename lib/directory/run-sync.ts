import 'server-only';
import { and, asc, count, eq, gt, inArray, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { errorFields, log } from '@/lib/log';
import { applyStagedChanges } from './apply-changes';
import { closeDirectory, openDirectory } from './connect';
import { DirectoryError, describeDirectoryError } from './directory-error';
import { planPage, type ChangeRow } from './plan-page';
import { searchDirectoryUsers } from './search';
import { loadDirectoryConfig, type DirectoryConfig } from './settings';

export type RunRow = typeof schema.directorySyncRuns.$inferSelect;
type RunPatch = Partial<Omit<typeof schema.directorySyncRuns.$inferInsert, 'id'>>;

const STAGE_CHUNK = 500;
const SCAN_BATCH = 1000;

/** The actor of the user events a sync writes (User › Created, Updated, Disabled, Enabled); the run is in their details. */
export const DIRECTORY_SYNC_ACTOR: Actor = { type: 'system', id: null, label: 'Directory sync' };

export function runActor(run: RunRow): Actor {
  return { type: run.requestedByType as Actor['type'], id: run.requestedById, label: run.requestedByLabel };
}

/** How long a running run may go without a heartbeat before another instance marks it failed. */
export function leaseSeconds(config: Pick<DirectoryConfig, 'connectTimeoutSeconds' | 'operationTimeoutSeconds'> | null): number {
  return (config?.connectTimeoutSeconds ?? 10) + (config?.operationTimeoutSeconds ?? 60) + 120;
}

/** This instance lost the run (another instance marked it failed after its lease ran out). */
class RunLostError extends Error {}

/** The job runner asked this process to stop (shutdown): the run stops between pages or batches. */
class RunInterruptedError extends Error {}

async function stage(rows: ChangeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += STAGE_CHUNK) await getDb().insert(schema.directorySyncChanges).values(rows.slice(i, i + STAGE_CHUNK));
}

/** Stages a disable for every enabled directory user the search did not return; returns how many users were enabled. */
async function stageDisables(runId: string, seen: Set<string>): Promise<{ enabledBefore: number }> {
  const u = schema.users;
  let after: string | undefined;
  let enabledBefore = 0;
  for (;;) {
    const rows = await getDb()
      .select({ id: u.id, directoryId: u.directoryId, dn: u.directoryDn, username: u.username, email: u.email })
      .from(u)
      .where(and(eq(u.source, 'directory'), inArray(u.status, ['invited', 'active']), after ? gt(u.id, after) : undefined))
      .orderBy(asc(u.id))
      .limit(SCAN_BATCH);
    enabledBefore += rows.length;
    await stage(
      rows
        .filter((r) => !r.directoryId || !seen.has(r.directoryId))
        .map((r) => ({ runId, action: 'disable' as const, userId: r.id, directoryId: r.directoryId, dn: r.dn, username: r.username, email: r.email, fields: { status: { before: 'enabled', after: 'disabled' } } })),
    );
    if (rows.length < SCAN_BATCH) return { enabledBefore };
    after = rows[rows.length - 1]!.id;
  }
}

type Counts = Pick<RunRow, 'created' | 'updated' | 'disabled' | 'reenabled' | 'skipped'>;

/** Counts by action: all staged rows (the plan) or only applied ones (what happened); skips are always all. */
async function countChanges(runId: string, appliedOnly: boolean): Promise<Counts> {
  const c = schema.directorySyncChanges;
  const rows = await getDb()
    .select({ action: c.action, all: count(), applied: sql<number>`count(*) filter (where ${c.appliedAt} is not null)`.mapWith(Number) })
    .from(c)
    .where(eq(c.runId, runId))
    .groupBy(c.action);
  const n = (a: string) => {
    const row = rows.find((r) => r.action === a);
    return (appliedOnly && a !== 'skip' ? row?.applied : row?.all) ?? 0;
  };
  return { created: n('create'), updated: n('update'), disabled: n('disable'), reenabled: n('reenable'), skipped: n('skip') };
}

async function endRun(run: RunRow, patch: RunPatch, event: { kind: (typeof EVENT)[keyof typeof EVENT]; outcome?: 'success' | 'failure'; details: Record<string, unknown> }) {
  const r = schema.directorySyncRuns;
  await getDb().transaction(async (tx) => {
    const ended = await tx
      .update(r)
      .set({ ...patch, phase: 'done', finishedAt: now(), leaseUntil: null })
      .where(and(eq(r.id, run.id), eq(r.status, 'running')))
      .returning({ id: r.id });
    if (ended.length === 0) throw new RunLostError();
    await writeEvent(tx, { kind: event.kind, outcome: event.outcome, actor: runActor(run), details: { syncRunId: run.id, trigger: run.trigger, dryRun: run.dryRun, ...event.details } });
  });
}

/** Marks a run failed with its reason (one transaction with the event). Before applying, its staged rows go: nothing was changed. */
async function failRun(run: RunRow, error: DirectoryError, applying: boolean): Promise<void> {
  const message = applying
    ? `Failed while applying: ${error.message} The changes applied so far are kept; the next sync completes the rest.`
    : `${error.message} No user was changed.`;
  if (!applying) await getDb().delete(schema.directorySyncChanges).where(eq(schema.directorySyncChanges.runId, run.id));
  await endRun(run, { status: 'failed', error: message, ...(applying ? await countChanges(run.id, true) : {}) }, {
    kind: EVENT.directorySyncFailed,
    outcome: 'failure',
    details: { reason: error.kind, error: message },
  });
}

/**
 * Ends a run the process was asked to stop (shutdown) as failed, saying so, and queues a run of the same
 * kind in the same transaction, so the next job tick (here or on another instance) does the work again from
 * the start. Before applying, its staged rows go (nothing was changed); while applying, the batches
 * committed so far are kept (each is consistent) and the next run completes the rest.
 */
async function interruptRun(run: RunRow, applying: boolean): Promise<void> {
  const r = schema.directorySyncRuns;
  const message = applying
    ? 'Stopped while applying because the server was shutting down. The changes applied so far are kept; a new run was queued to complete the rest.'
    : 'Stopped because the server was shutting down. No user was changed; a new run was queued.';
  if (!applying) await getDb().delete(schema.directorySyncChanges).where(eq(schema.directorySyncChanges.runId, run.id));
  const counts = applying ? await countChanges(run.id, true) : {};
  await getDb().transaction(async (tx) => {
    const ended = await tx
      .update(r)
      .set({ status: 'failed', error: message, ...counts, phase: 'done', finishedAt: now(), leaseUntil: null })
      .where(and(eq(r.id, run.id), eq(r.status, 'running')))
      .returning({ id: r.id });
    if (ended.length === 0) throw new RunLostError();
    const [queued] = await tx
      .select({ id: r.id })
      .from(r)
      .where(and(eq(r.status, 'queued'), eq(r.dryRun, run.dryRun)))
      .limit(1);
    const next =
      queued ??
      (
        await tx
          .insert(r)
          .values({
            trigger: run.trigger,
            dryRun: run.dryRun,
            approvesRunId: run.approvesRunId,
            approvedDisables: run.approvedDisables,
            requestedByType: run.requestedByType,
            requestedById: run.requestedById,
            requestedByLabel: run.requestedByLabel,
            requestedAt: now(),
          })
          .returning({ id: r.id })
      )[0]!;
    await writeEvent(tx, {
      kind: EVENT.directorySyncFailed,
      outcome: 'failure',
      actor: runActor(run),
      details: { syncRunId: run.id, trigger: run.trigger, dryRun: run.dryRun, reason: 'interrupted', error: message, requeuedSyncRunId: next.id },
    });
  });
}

/**
 * Runs one claimed run to its end: connect → paged search (each page compared and its changes staged,
 * users untouched) → disables computed once the search completed → safety checks → apply (unless a dry
 * run or held for approval). Never throws; the outcome is on the run and in its event.
 */
export async function executeRun(run: RunRow, signal?: AbortSignal): Promise<void> {
  const r = schema.directorySyncRuns;
  let applying = false;
  let config: DirectoryConfig | null = null;
  const beat = async (patch: RunPatch = {}) => {
    if (signal?.aborted) throw new RunInterruptedError();
    const at = now();
    const rows = await getDb()
      .update(r)
      .set({ ...patch, heartbeatAt: at, leaseUntil: addSeconds(at, leaseSeconds(config)) })
      .where(and(eq(r.id, run.id), eq(r.status, 'running')))
      .returning({ id: r.id });
    if (rows.length === 0) throw new RunLostError();
  };
  try {
    config = await loadDirectoryConfig();
    if (!config) throw new DirectoryError('not_configured', 'Directory Services is not configured.');
    const cfg = config;
    await beat({ phase: 'connecting' });
    const client = await openDirectory(cfg);
    let entriesRead = 0;
    let references = 0;
    let unchanged = 0;
    let phoneProblems = 0;
    const seen = new Set<string>();
    const claimed = new Set<string>();
    try {
      await beat({ phase: 'searching' });
      for await (const page of searchDirectoryUsers(client, cfg)) {
        references += page.references;
        entriesRead += page.entries.length;
        const plan = await planPage(getDb(), run.id, page.entries, { defaultRegion: cfg.defaultRegion, listPhoneProblems: run.dryRun, claimed });
        for (const id of plan.seen) seen.add(id);
        unchanged += plan.unchanged;
        phoneProblems += plan.phoneProblems;
        await stage(plan.changes);
        await beat({ entriesRead });
      }
    } finally {
      await closeDirectory(client);
    }
    if (entriesRead === 0) {
      throw references > 0
        ? new DirectoryError('referrals_only', `The directory returned only referrals (${references}) and no entries under ${cfg.baseDn}. Point the base DN at the server that holds the users.`)
        : new DirectoryError('empty', `The search returned no entries under ${cfg.baseDn} with ${cfg.userFilter}${cfg.groupDn ? ` in ${cfg.groupDn}` : ''}. Check the base DN, filter, group and that the bind account may read the users.`);
    }
    if (seen.size === 0) throw new DirectoryError('mapping', `None of the ${entriesRead} entries has a ${cfg.idAttribute} value: check the unique id attribute.`);

    await beat({ phase: 'comparing' });
    const { enabledBefore } = await stageDisables(run.id, seen);
    const planned = await countChanges(run.id, false);
    await beat({ ...planned, unchanged, phoneProblems, directoryUsersBefore: enabledBefore });
    const overLimit = planned.disabled > 0 && planned.disabled * 100 > cfg.disableThresholdPercent * enabledBefore;
    const approved = run.approvedDisables !== null && planned.disabled <= run.approvedDisables;
    if (overLimit && !approved) {
      const reason =
        run.approvedDisables !== null
          ? `${planned.disabled} users would be disabled, more than the ${run.approvedDisables} approved. Nothing was changed; review the list and apply anyway again if it is right.`
          : `${planned.disabled} of ${enabledBefore} directory users (${Math.round((planned.disabled * 100) / enabledBefore)} %) would be disabled, more than the ${cfg.disableThresholdPercent} % safety limit. Nothing was changed: review the list, then Apply anyway.`;
      await endRun(run, { status: 'waiting_approval', error: reason }, {
        kind: EVENT.directorySyncSafetyStop,
        outcome: 'failure',
        details: { wouldDisable: planned.disabled, directoryUsers: enabledBefore, thresholdPercent: cfg.disableThresholdPercent },
      });
      return;
    }
    if (run.dryRun) {
      await endRun(run, { status: 'succeeded', entriesRead }, { kind: EVENT.directorySyncFinished, details: { entriesRead, ...planned, unchanged, phoneProblems } });
      return;
    }
    applying = true;
    await beat({ phase: 'applying' });
    await applyStagedChanges(run.id, DIRECTORY_SYNC_ACTOR, () => beat());
    const applied = await countChanges(run.id, true);
    await endRun(run, { status: 'succeeded', ...applied }, { kind: EVENT.directorySyncFinished, details: { entriesRead, ...applied, unchanged, phoneProblems } });
  } catch (error) {
    if (error instanceof RunLostError) {
      log.warn('directory sync: this instance lost its run (lease expired)', { syncRunId: run.id });
      return;
    }
    if (error instanceof RunInterruptedError) {
      try {
        await interruptRun(run, applying);
      } catch (e) {
        if (!(e instanceof RunLostError)) log.error('directory sync: recording the interruption failed', { syncRunId: run.id, ...errorFields(e) });
      }
      return;
    }
    if (!(error instanceof DirectoryError)) log.error('directory sync failed', { syncRunId: run.id, ...errorFields(error) });
    const described =
      error instanceof DirectoryError ? error : config ? describeDirectoryError(error, config) : new DirectoryError('server', error instanceof Error ? error.message : String(error));
    try {
      await failRun(run, described, applying);
    } catch (e) {
      if (!(e instanceof RunLostError)) log.error('directory sync: recording the failure failed', { syncRunId: run.id, ...errorFields(e) });
    }
  }
}
