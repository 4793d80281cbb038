import 'server-only';
/**
 * Directory Services (LDAP sync) — the API the /admin/directory pages use.
 *
 * Settings
 * - getDirectorySettings(): DirectorySettingsDto — the saved settings (defaults with configured=false before the first save);
 *   the bind password is never returned, only bindPasswordSet.
 * - saveDirectorySettings(input, actor, client) — input parsed with directorySettingsSchema (lib/directory/schemas.ts, shared
 *   with the form; presets in DIRECTORY_PRESETS). Throws DirectorySettingsError { fieldErrors } for server-side checks
 *   (filter parse, bind DN without a password). One "Directory Sync · Settings Changed" event.
 * - testDirectoryConnection(input?) — bind result in plain words + five mapped sample users (phone attribute and verdict).
 *
 * Runs (a Postgres queue, one run at a time across instances; the job "directory-sync" works it every tick)
 * - requestSync({ trigger, dryRun, actor }) — queues Sync Now / a dry run (starts at once in this process for manual runs).
 *   Throws SyncRefusedError when not configured.
 * - applySyncAnyway(runId, actor, client) — for a run in status waiting_approval: queues a run that may disable up to the
 *   approved number of users. Throws SyncRefusedError when the run isn't waiting or a newer run exists.
 * - processSyncQueue() / runDirectorySyncJob() — the worker (the job runner calls runDirectorySyncJob).
 *
 * History and reports
 * - listSyncRuns(page), getSyncRun(id), getActiveSyncRun() — SyncRunDto: status, phase, entries read, counts, who, when, error.
 * - listSyncChanges(runId, page, { actions? }) — per-user changes (fields before/after, phone attribute, skip reasons).
 * - listPhoneProblems(page), phoneProblemsCsvResponse() / streamPhoneProblemsCsv() — phone health.
 */
export { getDirectorySettings, saveDirectorySettings, type DirectorySettingsDto } from './settings';
export { DirectorySettingsError } from './settings-errors';
export { directorySettingsSchema, DIRECTORY_PRESETS, DEFAULT_USER_FILTER, type DirectorySettingsInput, type DirectorySettingsFormValues } from './schemas';
export { testDirectoryConnection, type ConnectionTestResult, type SampleUser } from './test-connection';
export { requestSync, applySyncAnyway, processSyncQueue, runDirectorySyncJob, enqueueScheduledSync, SyncRefusedError, type RequestSyncInput } from './queue';
export {
  listSyncRuns,
  getSyncRun,
  getActiveSyncRun,
  listSyncChanges,
  type SyncRunDto,
  type SyncChangeDto,
  type SyncRunStatus,
  type SyncRunPhase,
  type SyncChangeAction,
  type Page,
} from './history';
export { listPhoneProblems, streamPhoneProblemsCsv, phoneProblemsCsvResponse, PHONE_PROBLEMS_CSV_HEADER, type PhoneProblemDto } from './phone-health';
export type { DirectoryErrorKind } from './directory-error';
