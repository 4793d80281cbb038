import type { SyncChangeAction, SyncRunDto, SyncRunPhase, SyncRunStatus } from '@/lib/directory';
import type { PhoneStatus } from '@/lib/phone';
import { formatCount } from '../../users/_components/format';

/** Plain words for the Directory Services pages (types only from lib: safe in client components). */

export const STATUS_LABELS: Record<SyncRunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  waiting_approval: 'Waiting for approval',
  approved: 'Approved (applied by a later run)',
};

export const STATUS_BADGES: Record<SyncRunStatus, string> = {
  queued: '',
  running: '',
  succeeded: 'success',
  failed: 'failure',
  waiting_approval: 'notice',
  approved: '',
};

export const PHASE_LABELS: Record<SyncRunPhase, string> = {
  queued: 'waiting to start',
  connecting: 'connecting to the directory',
  searching: 'reading directory entries',
  comparing: 'comparing with Onramp’s users',
  applying: 'applying the changes',
  done: 'done',
};

export const ACTION_LABELS: Record<SyncChangeAction, string> = {
  create: 'Create',
  update: 'Update',
  disable: 'Disable',
  reenable: 'Re-enable',
  skip: 'Skipped',
  phone_problem: 'Phone problem',
};

export const PHONE_LABELS: Record<PhoneStatus, string> = {
  ok: 'OK',
  country_assumed: 'Country assumed',
  missing_country_code: 'Missing country code — SMS will fail',
  invalid: 'Invalid number',
  missing: 'No number',
};

export const phoneLabel = (status: string | null | undefined) => (status ? (PHONE_LABELS[status as PhoneStatus] ?? status) : '—');

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function whoStarted(run: Pick<SyncRunDto, 'trigger' | 'requestedBy'>): string {
  if (run.trigger === 'schedule') return 'Schedule';
  return `Manual, by ${run.requestedBy.label ?? 'an admin'}`;
}

export function runKind(run: Pick<SyncRunDto, 'dryRun' | 'approvesRunId'>): string {
  return run.dryRun ? 'Dry run' : run.approvesRunId ? 'Sync (applied anyway)' : 'Sync';
}

/** One line for a live region: what the active run is doing now. */
export function progressText(run: Pick<SyncRunDto, 'status' | 'phase' | 'counts' | 'dryRun'>): string {
  const what = run.dryRun ? 'Dry run' : 'Sync';
  if (run.status === 'queued') return `${what} queued: it starts as soon as no other run is in progress.`;
  return `${what} running: ${PHASE_LABELS[run.phase]}, ${formatCount(run.counts.read)} ${run.counts.read === 1 ? 'entry' : 'entries'} read.`;
}

/** One line for a finished run. */
export function outcomeText(run: SyncRunDto): string {
  const what = run.dryRun ? 'The dry run' : 'The sync';
  switch (run.status) {
    case 'succeeded':
      return run.dryRun
        ? `${what} finished: ${formatCount(run.counts.created)} would be created, ${formatCount(run.counts.updated)} updated, ${formatCount(run.counts.disabled)} disabled, ${formatCount(run.counts.reenabled)} re-enabled. Nothing was changed.`
        : `${what} finished: ${formatCount(run.counts.created)} created, ${formatCount(run.counts.updated)} updated, ${formatCount(run.counts.disabled)} disabled, ${formatCount(run.counts.reenabled)} re-enabled.`;
    case 'failed':
      return `${what} failed. ${run.error ?? ''}`.trim();
    case 'waiting_approval':
      return `${what} stopped at the safety limit and is waiting for approval. ${run.error ?? ''}`.trim();
    case 'approved':
      return `${what} was approved with Apply anyway; a later run applied it.`;
    default:
      return progressText(run);
  }
}
