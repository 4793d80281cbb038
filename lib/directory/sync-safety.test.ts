import { createServer, type Server, type Socket } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { ldapFilterProblem } from './ldap-filter-syntax';
import { ADMIN, CLIENT, configureDirectory, snapshotUsers, syncNow, unitsLdif } from './testing';
import {
  DirectorySettingsError,
  directorySettingsSchema,
  enqueueScheduledSync,
  getDirectorySettings,
  getSyncRun,
  processSyncQueue,
  requestSync,
  saveDirectorySettings,
  testDirectoryConnection,
} from '.';

const BASE = 'dc=example,dc=org';
let slapd: Slapd;
let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  const ldif = [
    unitsLdif(BASE),
    ...['ann', 'bob', 'cat'].map((uid, i) =>
      personLdif(`uid=${uid},ou=people,${BASE}`, { uid, cn: uid, sn: uid, mail: `${uid}@example.org`, mobile: i === 2 ? undefined : `+44 7400 12345${i}`, telephoneNumber: '020 7946 0000' }),
    ),
  ].join('\n');
  slapd = await startSlapd({ ldif });
  // A server that accepts connections and never answers.
  silent = createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  await configureDirectory(slapd);
  const first = await syncNow();
  expect(first.status).toBe('succeeded');
});
afterAll(async () => {
  sockets.forEach((s) => s.destroy());
  await new Promise((resolve) => silent?.close(resolve));
  await slapd?.destroy();
});
afterEach(() => resetClock());

const failedEvents = () =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.type, 'Directory Sync'), eq(schema.events.subType, 'Failed')));

/** Runs a sync that must fail, and proves no user changed. */
async function expectFailedRun(reason: RegExp) {
  const before = await snapshotUsers();
  const eventsBefore = (await failedEvents()).length;
  const run = await syncNow();
  expect(run).toMatchObject({ status: 'failed', phase: 'done' });
  expect(run.error).toMatch(reason);
  expect(run.error).toMatch(/No user was changed/);
  expect(run.counts).toMatchObject({ created: 0, updated: 0, disabled: 0 });
  expect(await snapshotUsers()).toEqual(before);
  expect(await failedEvents()).toHaveLength(eventsBefore + 1);
  return run;
}

describe('a sync never disables anyone when the directory answers badly', () => {
  it('directory down', async () => {
    await slapd.stop();
    try {
      await expectFailedRun(/connection refused/);
    } finally {
      await slapd.start();
    }
  });

  it('wrong bind password', async () => {
    await configureDirectory(slapd, { bindPassword: 'not-the-password' });
    await expectFailedRun(/refused the bind DN or password/);
    expect(await testDirectoryConnection()).toMatchObject({ ok: false, kind: 'credentials' });
    await configureDirectory(slapd, { bindPassword: slapd.readerPassword });
  });

  it('a bind that can read nothing (0 entries)', async () => {
    await configureDirectory(slapd, { baseDn: `ou=former,${BASE}` });
    await expectFailedRun(/returned no entries under ou=former/);
    await configureDirectory(slapd);
  });

  it('a server that accepts the connection and never answers (operation timeout)', async () => {
    const { port } = silent.address() as { port: number };
    await configureDirectory(slapd, { url: `ldap://127.0.0.1:${port}`, operationTimeoutSeconds: 1 });
    await expectFailedRun(/accepted the connection but didn't answer within 1 s/);
    await configureDirectory(slapd);
  });

  it('a base DN that does not exist', async () => {
    await configureDirectory(slapd, { baseDn: `ou=nowhere,${BASE}` });
    await expectFailedRun(/doesn't exist/);
    await configureDirectory(slapd);
  });
});

describe('settings', () => {
  it('refuses unbalanced or invalid filters such as *)(uid=*', () => {
    for (const bad of ['*)(uid=*', '(uid=*)(uid=*)', '(uid=a', '(&)', '(uid=a(b))', '(uid=\\zz)', 'uid=a']) {
      expect(ldapFilterProblem(bad), bad).not.toBeNull();
      const parsed = directorySettingsSchema.safeParse({ url: 'ldap://h', baseDn: 'dc=x', idAttribute: 'entryUUID', usernameAttribute: 'uid', emailAttribute: 'mail', firstNameAttribute: 'givenName', lastNameAttribute: 'sn', userFilter: bad });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.path).toEqual(['userFilter']);
    }
    for (const good of ['(objectClass=inetOrgPerson)', '(&(objectClass=person)(!(uid=svc-*))(|(ou=a)(ou=b\\29)))', '(userAccountControl:1.2.840.113556.1.4.803:=2)', '(cn=Smith\\2c John)']) {
      expect(ldapFilterProblem(good), good).toBeNull();
    }
  });

  it('never returns the bind password, refuses a bind DN without one, and records changes without it', async () => {
    const dto = await getDirectorySettings();
    expect(dto).toMatchObject({ configured: true, bindPasswordSet: true, bindDn: slapd.readerDn });
    expect(JSON.stringify(dto)).not.toContain(slapd.readerPassword);
    const [row] = await getDb().select().from(schema.directorySettings);
    expect(row!.bindSecretEncrypted).not.toContain(slapd.readerPassword);
    const input = directorySettingsSchema.parse({ url: slapd.url, bindDn: slapd.readerDn, baseDn: `ou=people,${BASE}`, clearBindPassword: 'on', idAttribute: 'entryUUID', usernameAttribute: 'uid', emailAttribute: 'mail', firstNameAttribute: 'givenName', lastNameAttribute: 'sn' });
    await expect(saveDirectorySettings(input, ADMIN, CLIENT)).rejects.toBeInstanceOf(DirectorySettingsError);
    const events = await getDb().select().from(schema.events).where(eq(schema.events.subType, 'Settings Changed'));
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(slapd.readerPassword);
  });

  it('Test connection binds and shows five mapped users with the attribute that gave each phone', async () => {
    const result = await testDirectoryConnection();
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining(`bound as ${slapd.readerDn}`) });
    expect(result.samples).toHaveLength(3);
    const cat = result.samples.find((s) => s.username === 'cat')!;
    expect(cat.phone).toMatchObject({ attribute: 'telephoneNumber', raw: '020 7946 0000', status: 'missing_country_code' });
    expect(result.samples.find((s) => s.username === 'ann')!.phone).toMatchObject({ attribute: 'mobile', e164: '+447400123450', status: 'ok' });
  });
});

describe('the queue', () => {
  it('runs one sync at a time; a run whose instance stopped is marked failed once its lease is over', async () => {
    setClock(new Date('2031-01-01T00:00:00Z'));
    const r = schema.directorySyncRuns;
    const [stale] = await getDb()
      .insert(r)
      .values({ trigger: 'manual', status: 'running', requestedByType: 'system', startedAt: new Date('2031-01-01T00:00:00Z'), leaseUntil: new Date('2031-01-01T00:05:00Z') })
      .returning();
    const { runId } = await requestSync({ trigger: 'manual', actor: ADMIN, startNow: false });
    expect(await processSyncQueue()).toEqual([]);
    expect((await getSyncRun(runId))!.status).toBe('queued');
    advanceClock(5 * 60_000 + 1);
    expect(await processSyncQueue()).toEqual([runId]);
    expect(await getSyncRun(stale!.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('stopped before it finished') });
    expect((await getSyncRun(runId))!.status).toBe('succeeded');
  });

  it('two workers at once run a queued sync once', async () => {
    const { runId } = await requestSync({ trigger: 'manual', actor: ADMIN, startNow: false });
    const again = await requestSync({ trigger: 'manual', actor: ADMIN, startNow: false });
    expect(again).toEqual({ runId, alreadyQueued: true });
    const ran = await Promise.all([processSyncQueue(), processSyncQueue(), processSyncQueue()]);
    expect(ran.flat()).toEqual([runId]);
  });

  it('enqueues scheduled runs when due, once', async () => {
    setClock(new Date('2031-02-01T00:00:00Z'));
    await configureDirectory(slapd, { scheduleMinutes: 15 });
    expect(await enqueueScheduledSync()).toBe(false);
    advanceClock(15 * 60_000);
    const due = await Promise.all([enqueueScheduledSync(), enqueueScheduledSync()]);
    expect(due.filter(Boolean)).toHaveLength(1);
    const [ranId] = await processSyncQueue();
    expect(await getSyncRun(ranId!)).toMatchObject({ trigger: 'schedule', status: 'succeeded', requestedBy: { type: 'system' } });
    expect(await enqueueScheduledSync()).toBe(false);
  });
});
