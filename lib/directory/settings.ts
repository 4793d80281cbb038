import 'server-only';
import { eq } from 'drizzle-orm';
import { FilterParser } from 'ldapts';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { decryptBindSecret, encryptBindSecret } from './bind-secret';
import { DEFAULT_PHONE_ATTRIBUTES, DEFAULT_USER_FILTER, type DirectorySettingsInput } from './schemas';
import { DirectorySettingsError } from './settings-errors';

/** What the settings page shows. The bind password never leaves the server: only whether one is stored. */
export interface DirectorySettingsDto {
  /** False until an admin saves the settings once (the other fields are then the defaults). */
  configured: boolean;
  url: string;
  startTls: boolean;
  caPem: string | null;
  bindDn: string;
  bindPasswordSet: boolean;
  baseDn: string;
  userFilter: string;
  groupDn: string | null;
  idAttribute: string;
  usernameAttribute: string;
  emailAttribute: string;
  firstNameAttribute: string;
  lastNameAttribute: string;
  phoneAttributes: string[];
  defaultRegion: string | null;
  scheduleMinutes: number | null;
  nextScheduledAt: Date | null;
  connectTimeoutSeconds: number;
  operationTimeoutSeconds: number;
  pageSize: number;
  disableThresholdPercent: number;
  updatedAt: Date | null;
}

/** The settings a connection and a sync use, with the bind password in the clear (server memory only). */
export type DirectoryConfig = Omit<DirectorySettingsDto, 'configured' | 'bindPasswordSet' | 'nextScheduledAt' | 'updatedAt'> & {
  bindPassword: string | null;
};

type Row = typeof schema.directorySettings.$inferSelect;

const DEFAULTS: DirectorySettingsDto = {
  configured: false,
  url: '',
  startTls: false,
  caPem: null,
  bindDn: '',
  bindPasswordSet: false,
  baseDn: '',
  userFilter: DEFAULT_USER_FILTER,
  groupDn: null,
  idAttribute: 'entryUUID',
  usernameAttribute: 'uid',
  emailAttribute: 'mail',
  firstNameAttribute: 'givenName',
  lastNameAttribute: 'sn',
  phoneAttributes: DEFAULT_PHONE_ATTRIBUTES,
  defaultRegion: null,
  scheduleMinutes: null,
  nextScheduledAt: null,
  connectTimeoutSeconds: 10,
  operationTimeoutSeconds: 60,
  pageSize: 500,
  disableThresholdPercent: 10,
  updatedAt: null,
};

async function readRow(db: Executor = getDb()): Promise<Row | undefined> {
  const t = schema.directorySettings;
  const [row] = await db.select().from(t).where(eq(t.id, 1));
  return row;
}

function toDto(row: Row): DirectorySettingsDto {
  const { id: _id, bindSecretEncrypted, ...rest } = row;
  return { ...rest, configured: true, bindPasswordSet: !!bindSecretEncrypted };
}

export async function getDirectorySettings(): Promise<DirectorySettingsDto> {
  const row = await readRow();
  return row ? toDto(row) : DEFAULTS;
}

export function configFromRow(row: Row): DirectoryConfig {
  const { configured: _c, bindPasswordSet: _b, nextScheduledAt: _n, updatedAt: _u, ...rest } = toDto(row);
  return { ...rest, bindPassword: row.bindSecretEncrypted ? decryptBindSecret(row.bindSecretEncrypted) : null };
}

/** The saved settings for a sync, or null when Directory Services was never configured. */
export async function loadDirectoryConfig(db: Executor = getDb()): Promise<DirectoryConfig | null> {
  const row = await readRow(db);
  return row ? configFromRow(row) : null;
}

/**
 * Settings as typed on the form, completed with the stored bind password when the form left it empty
 * (Test connection before saving).
 */
export async function configFromInput(input: DirectorySettingsInput): Promise<DirectoryConfig> {
  const row = await readRow();
  const stored = row?.bindSecretEncrypted ? decryptBindSecret(row.bindSecretEncrypted) : null;
  const { bindPassword, clearBindPassword, ...rest } = input;
  return { ...rest, bindPassword: bindPassword ?? (clearBindPassword ? null : stored) };
}

function serverChecks(input: DirectorySettingsInput, hasStoredPassword: boolean): void {
  const errors: Record<string, string> = {};
  try {
    FilterParser.parseString(input.userFilter);
  } catch (error) {
    errors.userFilter = `This is not a valid LDAP filter: ${error instanceof Error ? error.message : String(error)}`;
  }
  const willHavePassword = !!input.bindPassword || (hasStoredPassword && !input.clearBindPassword);
  // A simple bind with a DN and an empty password is an unauthenticated bind (RFC 4513 5.1.2): refuse it.
  if (input.bindDn && !willHavePassword) errors.bindPassword = 'Enter the password of the bind DN (or clear the bind DN for an anonymous bind).';
  if (Object.keys(errors).length) throw new DirectorySettingsError(errors);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Saves the Directory Services settings (one row) and writes one Settings Changed event with the
 * before/after of each changed value; a new or removed bind password is recorded as such, never its
 * value. Throws DirectorySettingsError for what only the server can check.
 */
export async function saveDirectorySettings(input: DirectorySettingsInput, actor: Actor, client: ClientInfo): Promise<{ changed: string[] }> {
  const t = schema.directorySettings;
  return getDb().transaction(async (tx) => {
    const [current] = await tx.select().from(t).where(eq(t.id, 1)).for('update');
    serverChecks(input, !!current?.bindSecretEncrypted);
    const { bindPassword, clearBindPassword, ...values } = input;
    const before: Partial<Row> = current ?? {};
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => !current || !same(before[k], values[k]));
    const changes: Record<string, { before: unknown; after: unknown }> = Object.fromEntries(
      changed.map((k) => [k, { before: before[k] ?? null, after: values[k] }]),
    );
    const secretChange = bindPassword ? 'replaced' : clearBindPassword && current?.bindSecretEncrypted ? 'removed' : null;
    if (secretChange) changes.bindAuthentication = { before: current?.bindSecretEncrypted ? 'password set' : 'no password', after: secretChange };
    if (Object.keys(changes).length === 0) return { changed: [] };
    const at = now();
    const scheduleChanged = !current || current.scheduleMinutes !== values.scheduleMinutes;
    const row = {
      ...values,
      ...(bindPassword ? { bindSecretEncrypted: encryptBindSecret(bindPassword) } : clearBindPassword ? { bindSecretEncrypted: null } : {}),
      ...(scheduleChanged ? { nextScheduledAt: values.scheduleMinutes ? addSeconds(at, values.scheduleMinutes * 60) : null } : {}),
      updatedAt: at,
    };
    if (current) await tx.update(t).set(row).where(eq(t.id, 1));
    else await tx.insert(t).values({ id: 1, ...row });
    await writeEvent(tx, {
      kind: EVENT.directorySettingsChanged,
      actor,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { changes },
    });
    return { changed: Object.keys(changes) };
  });
}
