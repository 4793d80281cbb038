import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** Exactly one row (id = 1) once an admin saves the Directory Services settings. */
export const directorySettings = pgTable(
  'directory_settings',
  {
    id: integer().primaryKey().default(1),
    /** ldap:// or ldaps:// with host and port only. */
    url: text().notNull(),
    startTls: boolean().notNull().default(false),
    /** Extra trusted CA certificates (PEM); certificates are always verified. */
    caPem: text(),
    /** Empty = anonymous bind. */
    bindDn: text().notNull().default(''),
    /** AES-256-GCM under a key derived from ONRAMP_SECRET_KEY (lib/directory/bind-secret.ts); never returned. */
    bindSecretEncrypted: text(),
    baseDn: text().notNull(),
    userFilter: text().notNull().default('(objectClass=inetOrgPerson)'),
    groupDn: text(),
    idAttribute: text().notNull().default('entryUUID'),
    usernameAttribute: text().notNull().default('uid'),
    emailAttribute: text().notNull().default('mail'),
    firstNameAttribute: text().notNull().default('givenName'),
    lastNameAttribute: text().notNull().default('sn'),
    /** Ordered: the first attribute present gives the phone. */
    phoneAttributes: text().array().notNull().default(sql`'{mobile,telephoneNumber}'::text[]`),
    /** ISO 3166 alpha-2 region assumed for numbers without a country code; null = none. */
    defaultRegion: text(),
    /** null = no schedule. */
    scheduleMinutes: integer(),
    nextScheduledAt: timestamp({ withTimezone: true }),
    connectTimeoutSeconds: integer().notNull().default(10),
    operationTimeoutSeconds: integer().notNull().default(60),
    pageSize: integer().notNull().default(500),
    disableThresholdPercent: integer().notNull().default(10),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('directory_settings_single_row', sql`${t.id} = 1`),
    check('directory_settings_schedule', sql`${t.scheduleMinutes} is null or ${t.scheduleMinutes} between 5 and 10080`),
    check('directory_settings_timeouts', sql`${t.connectTimeoutSeconds} between 1 and 300 and ${t.operationTimeoutSeconds} between 1 and 3600`),
    check('directory_settings_page_size', sql`${t.pageSize} between 1 and 5000`),
    check('directory_settings_threshold', sql`${t.disableThresholdPercent} between 0 and 100`),
  ],
);

export const directorySyncTrigger = pgEnum('directory_sync_trigger', ['manual', 'schedule']);
export const directorySyncStatus = pgEnum('directory_sync_status', [
  'queued',
  'running',
  'succeeded',
  'failed',
  /** Stopped before applying: more users would be disabled than the safety threshold allows. */
  'waiting_approval',
  /** A waiting run an admin approved with Apply anyway (the applying run is a new run). */
  'approved',
]);
export const directorySyncPhase = pgEnum('directory_sync_phase', ['queued', 'connecting', 'searching', 'comparing', 'applying', 'done']);

/** Every sync run; the queued ones are the queue (one running at a time across instances). */
export const directorySyncRuns = pgTable(
  'directory_sync_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    trigger: directorySyncTrigger().notNull(),
    dryRun: boolean().notNull().default(false),
    /** Set on the run Apply anyway enqueued: the waiting run it approves and how many disables were approved. */
    approvesRunId: uuid(),
    approvedDisables: integer(),
    status: directorySyncStatus().notNull().default('queued'),
    phase: directorySyncPhase().notNull().default('queued'),
    requestedByType: text().notNull(),
    requestedById: text(),
    requestedByLabel: text(),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    heartbeatAt: timestamp({ withTimezone: true }),
    /** A running run whose lease has passed belonged to an instance that stopped: it is marked failed. */
    leaseUntil: timestamp({ withTimezone: true }),
    entriesRead: integer().notNull().default(0),
    created: integer().notNull().default(0),
    updated: integer().notNull().default(0),
    disabled: integer().notNull().default(0),
    reenabled: integer().notNull().default(0),
    unchanged: integer().notNull().default(0),
    skipped: integer().notNull().default(0),
    phoneProblems: integer().notNull().default(0),
    /** Directory users (not disabled) before the run: the base of the safety threshold. */
    directoryUsersBefore: integer(),
    error: text(),
  },
  (t) => [
    uniqueIndex('directory_sync_runs_one_running').on(t.status).where(sql`${t.status} = 'running'`),
    index('directory_sync_runs_queue_idx').on(t.status, t.requestedAt, t.id),
    index('directory_sync_runs_requested_idx').on(t.requestedAt, t.id),
  ],
);

export const directorySyncAction = pgEnum('directory_sync_action', ['create', 'update', 'disable', 'reenable', 'skip', 'phone_problem']);

/**
 * A run's per-user change list: computed while searching (nothing is applied until the search has
 * completed and passed the safety checks), then applied in batches (applied_at).
 */
export const directorySyncChanges = pgTable(
  'directory_sync_changes',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    runId: uuid()
      .notNull()
      .references(() => directorySyncRuns.id, { onDelete: 'cascade' }),
    action: directorySyncAction().notNull(),
    userId: uuid(),
    directoryId: text(),
    dn: text(),
    username: text(),
    email: text(),
    /** field → { before, after } */
    fields: jsonb().$type<Record<string, { before: unknown; after: unknown }>>().notNull().default({}),
    /** The mapped directory values to write (create, update, re-enable). */
    record: jsonb().$type<Record<string, unknown>>(),
    phoneSource: text(),
    phoneStatus: text(),
    phoneRaw: text(),
    reason: text(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('directory_sync_changes_run_idx').on(t.runId, t.id), index('directory_sync_changes_run_action_idx').on(t.runId, t.action, t.id)],
);

/** Users the sync disabled because they left the directory: only these are re-enabled when they return. */
export const directoryDisabledUsers = pgTable('directory_disabled_users', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  runId: uuid().notNull(),
  disabledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
