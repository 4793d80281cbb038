import 'server-only';
import { and, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';

export type SyncRunStatus = (typeof schema.directorySyncStatus.enumValues)[number];
export type SyncRunPhase = (typeof schema.directorySyncPhase.enumValues)[number];
export type SyncChangeAction = (typeof schema.directorySyncAction.enumValues)[number];

export interface SyncRunDto {
  id: string;
  trigger: 'manual' | 'schedule';
  dryRun: boolean;
  /** Set on a run started by Apply anyway: the run it approved. */
  approvesRunId: string | null;
  status: SyncRunStatus;
  phase: SyncRunPhase;
  requestedBy: { type: string; id: string | null; label: string | null };
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  /** While running: the last heartbeat (progress is entriesRead and phase). */
  heartbeatAt: Date | null;
  /**
   * For a dry run or a run waiting for approval: what the run would do. Otherwise: what it did.
   */
  counts: { read: number; created: number; updated: number; disabled: number; reenabled: number; unchanged: number; skipped: number; phoneProblems: number };
  /** Enabled directory users before the run (the base of the safety limit). */
  directoryUsersBefore: number | null;
  /** The failure or safety-limit reason, in plain words. */
  error: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

type Run = typeof schema.directorySyncRuns.$inferSelect;

function toRunDto(run: Run): SyncRunDto {
  return {
    id: run.id,
    trigger: run.trigger,
    dryRun: run.dryRun,
    approvesRunId: run.approvesRunId,
    status: run.status,
    phase: run.phase,
    requestedBy: { type: run.requestedByType, id: run.requestedById, label: run.requestedByLabel },
    requestedAt: run.requestedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    heartbeatAt: run.heartbeatAt,
    counts: {
      read: run.entriesRead,
      created: run.created,
      updated: run.updated,
      disabled: run.disabled,
      reenabled: run.reenabled,
      unchanged: run.unchanged,
      skipped: run.skipped,
      phoneProblems: run.phoneProblems,
    },
    directoryUsersBefore: run.directoryUsersBefore,
    error: run.error,
  };
}

const clampPage = (page: number) => Math.max(1, Math.floor(page) || 1);

/** Runs, newest first, `pageSize` per page (1-based). */
export async function listSyncRuns(page = 1, pageSize = 25): Promise<Page<SyncRunDto>> {
  const r = schema.directorySyncRuns;
  const p = clampPage(page);
  const [rows, [total]] = await Promise.all([
    getDb().select().from(r).orderBy(desc(r.requestedAt), desc(r.id)).limit(pageSize).offset((p - 1) * pageSize),
    getDb().select({ n: count() }).from(r),
  ]);
  return { items: rows.map(toRunDto), total: total?.n ?? 0, page: p, pageSize };
}

export async function getSyncRun(id: string): Promise<SyncRunDto | null> {
  const r = schema.directorySyncRuns;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await getDb().select().from(r).where(eq(r.id, id));
  return row ? toRunDto(row) : null;
}

/** The running or most recent queued run (for the page's progress box), or null. */
export async function getActiveSyncRun(): Promise<SyncRunDto | null> {
  const r = schema.directorySyncRuns;
  const [row] = await getDb()
    .select()
    .from(r)
    .where(inArray(r.status, ['running', 'queued']))
    .orderBy(desc(r.status), r.requestedAt)
    .limit(1);
  return row ? toRunDto(row) : null;
}

export interface SyncChangeDto {
  id: number;
  action: SyncChangeAction;
  userId: string | null;
  directoryId: string | null;
  dn: string | null;
  username: string | null;
  email: string | null;
  /** field → before/after (for updates, re-enables and disables). */
  fields: Record<string, { before: unknown; after: unknown }>;
  /** Which attribute gave the phone, its raw value and verdict. */
  phone: { source: string | null; raw: string | null; status: string | null };
  /** Why an entry was skipped. */
  reason: string | null;
  applied: boolean;
}

/** A run's per-user changes in order, optionally of some actions only. */
export async function listSyncChanges(runId: string, page = 1, options: { actions?: SyncChangeAction[]; pageSize?: number } = {}): Promise<Page<SyncChangeDto>> {
  const c = schema.directorySyncChanges;
  const pageSize = options.pageSize ?? 50;
  const p = clampPage(page);
  const where: SQL | undefined = and(eq(c.runId, runId), options.actions?.length ? inArray(c.action, options.actions) : undefined);
  const [rows, [total]] = await Promise.all([
    getDb().select().from(c).where(where).orderBy(c.id).limit(pageSize).offset((p - 1) * pageSize),
    getDb().select({ n: count() }).from(c).where(where),
  ]);
  return {
    items: rows.map((row) => ({
      id: row.id,
      action: row.action,
      userId: row.userId,
      directoryId: row.directoryId,
      dn: row.dn,
      username: row.username,
      email: row.email,
      fields: row.fields,
      phone: { source: row.phoneSource, raw: row.phoneRaw, status: row.phoneStatus },
      reason: row.reason,
      applied: row.appliedAt !== null,
    })),
    total: total?.n ?? 0,
    page: p,
    pageSize,
  };
}
