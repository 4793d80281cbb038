import 'server-only';
import { and, asc, count, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDatabaseHandle, getDb, type Transaction } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { errorFields, log } from '@/lib/log';
import { applyStagedChanges, deliverInvitations, startDirectCreates, type DirectCreates } from './apply-changes';
import { closeDirectory, openDirectory } from './connect';
import { DirectoryError, describeDirectoryError } from './directory-error';
import { planPage, type ChangeRow, type ClaimedKeys } from './plan-page';
import { searchDirectoryUsers } from './search';
import { stageChanges } from './stage-changes';
import { loadDirectoryConfig, type DirectoryConfig } from './settings';

export type RunRow = typeof schema.directorySyncRuns.$inferSelect;
type RunPatch = Partial<Omit<typeof schema.directorySyncRuns.$inferInsert, 'id'>>;

const SCAN_BATCH = 1000;
/** Progress (entries read, apply batches) is written at most this often; the lease is minutes long. */
const PROGRESS_EVERY_MS = 1000;

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

const stage = (rows: ChangeRow[]) => stageChanges(getDb(), rows);

/** Stages a disable for every enabled directory user the search did not return; returns how many users were enabled. */
async function stageDisables(runId: string, seen: Set<string>): Promise<{ enabledBefore: number }> {
  const u = schema.users;
  let after: string | undefined;
  let enabledBefore = 0;
  for (;;) {
    // Ids only for the whole scan (it reads every enabled directory user); the details only for those missing.
    const rows = await getDb()
      .select({ id: u.id, directoryId: u.directoryId })
      .from(u)
      .where(and(eq(u.source, 'directory'), inArray(u.status, ['invited', 'active']), after ? gt(u.id, after) : undefined))
      .orderBy(asc(u.id))
      .limit(SCAN_BATCH);
    enabledBefore += rows.length;
    const missing = rows.filter((r) => !r.directoryId || !seen.has(r.directoryId)).map((r) => r.id);
    if (missing.length) {
      const details = await getDb()
        .select({ id: u.id, directoryId: u.directoryId, dn: u.directoryDn, username: u.username, email: u.email })
        .from(u)
        .where(inArray(u.id, missing))
        .orderBy(asc(u.id));
      await stage(details.map((r) => ({ runId, action: 'disable' as const, userId: r.id, directoryId: r.directoryId, dn: r.dn, username: r.username, email: r.email, fields: { status: { before: 'enabled', after: 'disabled' } } })));
    }
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

interface SearchResult {
  entriesRead: number;
  unchanged: number;
  phoneProblems: number;
  /** Creates (and their conflicts) already written in the run's transaction. */
  direct: { created: number; skipped: number };
  /** Enabled directory users before the run (the base of the safety limit). */
  enabledBefore: number;
}

interface BeatOptions {
  /** Progress only: skipped when the last heartbeat is under a second old. */
  progressOnly?: boolean;
  /** Record even when a stop was requested (the final progress of a run that is ending). */
  ignoreStop?: boolean;
}
type Beat = (patch?: RunPatch, options?: BeatOptions) => Promise<void>;

/**
 * Connect → paged search (read ahead) → each page compared with the users table and its changes staged
 * (creates written through `creates` when given) → disables staged once the search completed. Throws
 * a DirectoryError for a failed, partial, referral-only or empty search.
 */
async function searchAndCompare(run: RunRow, cfg: DirectoryConfig, beat: Beat, creates: DirectCreates | null): Promise<SearchResult> {
  await beat({ phase: 'connecting' });
  const client = await openDirectory(cfg);
  let entriesRead = 0;
  let references = 0;
  let unchanged = 0;
  let phoneProblems = 0;
  const seen = new Set<string>();
  let withId = 0;
  const claimed: ClaimedKeys = { emails: new Set(), usernames: new Set() };
  try {
    await beat({ phase: 'searching' });
    for await (const page of searchDirectoryUsers(client, cfg)) {
      references += page.references;
      entriesRead += page.entries.length;
      const plan = await planPage(getDb(), run.id, page.entries, { defaultRegion: cfg.defaultRegion, listPhoneProblems: run.dryRun, claimed });
      for (const id of plan.seen) seen.add(id);
      withId += plan.withId;
      unchanged += plan.unchanged;
      phoneProblems += plan.phoneProblems;
      if (creates) {
        await creates.add(plan.changes.filter((c) => c.action === 'create'));
        await stage(plan.changes.filter((c) => c.action !== 'create'));
      } else {
        await stage(plan.changes);
      }
      await beat({ entriesRead }, { progressOnly: true });
    }
  } catch (error) {
    // However the search ended, the run shows how far it got.
    await beat({ entriesRead }, { ignoreStop: true }).catch(() => undefined);
    throw error;
  } finally {
    await closeDirectory(client);
  }
  const direct = creates ? await creates.flush() : { created: 0, skipped: 0 };
  if (entriesRead === 0) {
    throw references > 0
      ? new DirectoryError('referrals_only', `The directory returned only referrals (${references}) and no entries under ${cfg.baseDn}. Point the base DN at the server that holds the users.`)
      : new DirectoryError('empty', `The search returned no entries under ${cfg.baseDn} with ${cfg.userFilter}${cfg.groupDn ? ` in ${cfg.groupDn}` : ''}. Check the base DN, filter, group and that the bind account may read the users.`);
  }
  if (withId === 0) throw new DirectoryError('mapping', `None of the ${entriesRead} entries has a ${cfg.idAttribute} value: check the unique id attribute.`);
  await beat({ phase: 'comparing', entriesRead });
  const { enabledBefore } = await stageDisables(run.id, seen);
  return { entriesRead, unchanged, phoneProblems, direct, enabledBefore };
}

type Decision =
  | { stop: false }
  | { stop: 'safety'; reason: string; wouldDisable: number; enabledBefore: number; thresholdPercent: number }
  | { stop: 'dry_run'; entriesRead: number; details: Record<string, unknown> };

/** The safety checks on the complete plan: over the disable threshold (not approved) waits; a dry run ends here. */
async function decide(run: RunRow, cfg: DirectoryConfig, result: SearchResult, beat: Beat): Promise<Decision> {
  const { enabledBefore } = result;
  const staged = await countChanges(run.id, false);
  const planned = { ...staged, created: staged.created + result.direct.created, skipped: staged.skipped + result.direct.skipped };
  await beat({ ...planned, unchanged: result.unchanged, phoneProblems: result.phoneProblems, directoryUsersBefore: enabledBefore });
  const overLimit = planned.disabled > 0 && planned.disabled * 100 > cfg.disableThresholdPercent * enabledBefore;
  const approved = run.approvedDisables !== null && planned.disabled <= run.approvedDisables;
  if (overLimit && !approved) {
    const reason =
      run.approvedDisables !== null
        ? `${planned.disabled} users would be disabled, more than the ${run.approvedDisables} approved. Nothing was changed; review the list and apply anyway again if it is right.`
        : `${planned.disabled} of ${enabledBefore} directory users (${Math.round((planned.disabled * 100) / enabledBefore)} %) would be disabled, more than the ${cfg.disableThresholdPercent} % safety limit. Nothing was changed: review the list, then Apply anyway.`;
    return { stop: 'safety', reason, wouldDisable: planned.disabled, enabledBefore, thresholdPercent: cfg.disableThresholdPercent };
  }
  if (run.dryRun) return { stop: 'dry_run', entriesRead: result.entriesRead, details: { entriesRead: result.entriesRead, ...planned, unchanged: result.unchanged, phoneProblems: result.phoneProblems } };
  return { stop: false };
}

async function endStopped(run: RunRow, decision: Exclude<Decision, { stop: false }>): Promise<void> {
  if (decision.stop === 'dry_run') {
    await endRun(run, { status: 'succeeded', entriesRead: decision.entriesRead }, { kind: EVENT.directorySyncFinished, details: decision.details });
    return;
  }
  await endRun(run, { status: 'waiting_approval', error: decision.reason }, {
    kind: EVENT.directorySyncSafetyStop,
    outcome: 'failure',
    details: { wouldDisable: decision.wouldDisable, directoryUsers: decision.enabledBefore, thresholdPercent: decision.thresholdPercent },
  });
}

/** Rolls back the run's transaction after the plan was kept: the run stops here (safety limit). */
class StopRun extends Error {
  constructor(readonly decision: Exclude<Decision, { stop: false }>) {
    super('stop');
  }
}

/**
 * Before a rollback: the change rows written in the run's transaction (creates, and creates another
 * writer beat us to) are written again outside it, unapplied and without the user ids that won't exist,
 * so a held run still lists every create.
 */
async function copyDirectRowsToPlan(tx: Transaction, runId: string): Promise<void> {
  const c = schema.directorySyncChanges;
  let after = 0;
  for (;;) {
    const rows = await tx
      .select()
      .from(c)
      .where(and(eq(c.runId, runId), gt(c.id, after), isNotNull(c.appliedAt)))
      .orderBy(asc(c.id))
      .limit(SCAN_BATCH);
    if (!rows.length) return;
    after = rows[rows.length - 1]!.id;
    await stage(rows.map(({ id: _id, appliedAt: _at, ...row }) => ({ ...row, userId: row.action === 'create' ? null : row.userId })));
  }
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
  let lastBeat = 0;
  /** Checks for a stop request every time; writes the heartbeat (and progress) at most once a second unless told to. */
  const beat = async (patch: RunPatch = {}, options: BeatOptions = {}) => {
    if (signal?.aborted && !options.ignoreStop) throw new RunInterruptedError();
    if (options.progressOnly) {
      // The first page's progress is always written, then at most once a second.
      if (Date.now() - lastBeat < PROGRESS_EVERY_MS) return;
      lastBeat = Date.now();
    }
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
    // On PostgreSQL a real run creates users during the search, in a transaction of its own that commits
    // only after the safety checks (see startDirectCreates). Dry runs, and PGlite (one connection), stage
    // every change first and apply afterwards.
    if (!run.dryRun && getDatabaseHandle().driver === 'postgres') {
      let invitations: DirectCreates['invitations'] = [];
      const outcome = await getDb()
        .transaction(async (tx) => {
          const creates = await startDirectCreates(tx, run.id, DIRECTORY_SYNC_ACTOR);
          invitations = creates.invitations;
          const result = await searchAndCompare(run, cfg, beat, creates);
          const decision = await decide(run, cfg, result, beat);
          if (decision.stop) {
            // The plan must outlive the rollback: the rows written in tx go to the run's change list, unapplied.
            await copyDirectRowsToPlan(tx, run.id);
            throw new StopRun(decision);
          }
          await beat({ phase: 'applying' });
          await applyStagedChanges(run.id, DIRECTORY_SYNC_ACTOR, () => beat({}, { progressOnly: true }), tx);
          return result;
        })
        .catch((error: unknown) => {
          if (error instanceof StopRun) return error.decision;
          throw error;
        });
      if ('stop' in outcome) return await endStopped(run, outcome);
      await deliverInvitations(invitations);
      const applied = await countChanges(run.id, true);
      await endRun(run, { status: 'succeeded', ...applied }, {
        kind: EVENT.directorySyncFinished,
        details: { entriesRead: outcome.entriesRead, ...applied, unchanged: outcome.unchanged, phoneProblems: outcome.phoneProblems },
      });
      return;
    }
    const result = await searchAndCompare(run, cfg, beat, null);
    const decision = await decide(run, cfg, result, beat);
    if (decision.stop) return await endStopped(run, decision);
    applying = true;
    await beat({ phase: 'applying' });
    await applyStagedChanges(run.id, DIRECTORY_SYNC_ACTOR, () => beat({}, { progressOnly: true }));
    const applied = await countChanges(run.id, true);
    await endRun(run, { status: 'succeeded', ...applied }, {
      kind: EVENT.directorySyncFinished,
      details: { entriesRead: result.entriesRead, ...applied, unchanged: result.unchanged, phoneProblems: result.phoneProblems },
    });
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
