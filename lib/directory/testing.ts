import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import type { Actor } from '@/lib/events';
import type { Slapd } from '@/lib/testing/slapd';
import { directorySettingsSchema, type DirectorySettingsFormValues } from './schemas';
import { getSyncRun, type SyncRunDto } from './history';
import { processSyncQueue, requestSync } from './queue';
import { saveDirectorySettings } from './settings';

/* Test support for the directory sync tests; not used by the app. */

export const ADMIN: Actor = { type: 'admin', id: '00000000-0000-4000-8000-000000000001', label: 'admin@example.com' };
export const CLIENT = { ip: '127.0.0.1', userAgent: 'vitest' };

/** Saves settings pointing at a test slapd, bound as its reader account. */
export async function configureDirectory(slapd: Pick<Slapd, 'url' | 'readerDn' | 'readerPassword' | 'baseDn'>, overrides: Partial<DirectorySettingsFormValues> = {}) {
  const input = directorySettingsSchema.parse({
    url: slapd.url,
    bindDn: slapd.readerDn,
    bindPassword: slapd.readerPassword,
    baseDn: `ou=people,${slapd.baseDn}`,
    idAttribute: 'entryUUID',
    usernameAttribute: 'uid',
    emailAttribute: 'mail',
    firstNameAttribute: 'givenName',
    lastNameAttribute: 'sn',
    ...overrides,
  });
  return saveDirectorySettings(input, ADMIN, CLIENT);
}

/** Queues a run, works the queue in this process and returns the run. */
export async function syncNow(options: { dryRun?: boolean } = {}): Promise<SyncRunDto> {
  const { runId } = await requestSync({ trigger: 'manual', dryRun: options.dryRun, actor: ADMIN, startNow: false });
  await processSyncQueue();
  return (await getSyncRun(runId))!;
}

export async function directoryUsers() {
  return getDb().select().from(schema.users).where(eq(schema.users.source, 'directory')).orderBy(schema.users.username);
}

export async function userByUsername(username: string) {
  const [row] = await getDb().select().from(schema.users).where(eq(schema.users.username, username));
  return row;
}

/** Every users row, for "nothing changed" comparisons. */
export async function snapshotUsers() {
  return getDb().select().from(schema.users).orderBy(schema.users.id);
}

/** LDIF for the organisational units the tests use (people, groups, former). */
export function unitsLdif(baseDn: string, units = ['people', 'groups', 'former']): string {
  return units.map((ou) => `dn: ou=${ou},${baseDn}\nobjectClass: organizationalUnit\nou: ${ou}\n`).join('\n');
}
