import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { ADMIN, CLIENT, configureDirectory, syncNow, unitsLdif, userByUsername } from './testing';
import { applySyncAnyway, getSyncRun, listSyncChanges } from '.';

const BASE = 'dc=example,dc=org';
const dn = (uid: string) => `uid=${uid},ou=people,${BASE}`;
const person = (uid: string, extra: Record<string, string> = {}) =>
  personLdif(dn(uid), { uid, cn: uid, givenName: `G${uid}`, sn: `S${uid}`, mail: `${uid}@example.org`, ...extra });
let slapd: Slapd;

beforeAll(async () => {
  slapd = await startSlapd({ ldif: [unitsLdif(BASE, ['people', 'former']), person('ev-a', { mobile: '+44 7400 123456' }), person('ev-b'), person('ev-c'), person('ev-d')].join('\n') });
  const a = schema.accountSettings;
  await getDb().insert(a).values({ id: 1, inviteDirectoryUsers: false }).onConflictDoUpdate({ target: a.id, set: { inviteDirectoryUsers: false } });
  // One of four leaving is 25 %: under this limit, so it is applied without approval.
  await configureDirectory(slapd, { disableThresholdPercent: 30 });
});
afterAll(() => slapd?.destroy());

/** The user events about one user, oldest first. */
async function userEvents(username: string) {
  const user = await userByUsername(username);
  const e = schema.events;
  return getDb()
    .select()
    .from(e)
    .where(and(eq(e.subjectUserId, user!.id), eq(e.type, 'User')))
    .orderBy(asc(e.id));
}

const bySync = { actorType: 'system', actorLabel: 'Directory sync', outcome: 'success' };

describe('the sync writes a user event with every change it applies', () => {
  it('User › Created with the mapped fields, by the directory sync', async () => {
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 4 } });
    const events = await userEvents('ev-a');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      ...bySync,
      subType: 'Created',
      details: {
        email: 'ev-a@example.org',
        username: 'ev-a',
        source: 'directory',
        firstName: 'Gev-a',
        lastName: 'Sev-a',
        directoryDn: dn('ev-a'),
        phone: '+447400123456',
        phoneStatus: 'ok',
        phoneSource: 'mobile',
        syncRunId: run.id,
      },
    });
  });

  it('User › Updated with each changed field before and after; an unchanged user gets none', async () => {
    slapd.modify(`dn: ${dn('ev-b')}\nchangetype: modify\nreplace: sn\nsn: Renamed\n`);
    const run = await syncNow();
    expect(run.counts).toMatchObject({ updated: 1, unchanged: 3 });
    const [, updated] = await userEvents('ev-b');
    expect(updated).toMatchObject({ ...bySync, subType: 'Updated', details: { email: 'ev-b@example.org', changes: { lastName: { before: 'Sev-b', after: 'Renamed' } }, syncRunId: run.id } });
    expect(Object.keys((updated!.details as { changes: object }).changes)).toEqual(['lastName']);
    expect(await userEvents('ev-c')).toHaveLength(1);
  });

  it('User › Disabled when the user leaves, User › Enabled when they return, with changes.status', async () => {
    const move = (from: string, to: string) => slapd.modify(`dn: uid=ev-c,ou=${from},${BASE}\nchangetype: modrdn\nnewrdn: uid=ev-c\ndeleteoldrdn: 0\nnewsuperior: ou=${to},${BASE}\n`);
    move('people', 'former');
    const gone = await syncNow();
    expect(gone).toMatchObject({ status: 'succeeded', counts: { disabled: 1 } });
    move('former', 'people');
    const back = await syncNow();
    expect(back).toMatchObject({ status: 'succeeded', counts: { reenabled: 1 } });
    const [, disabled, enabled] = await userEvents('ev-c');
    expect(disabled).toMatchObject({ ...bySync, subType: 'Disabled', details: { syncRunId: gone.id, changes: { status: { before: 'invited', after: 'disabled' } } } });
    expect(enabled).toMatchObject({ ...bySync, subType: 'Enabled', details: { syncRunId: back.id, changes: { status: { before: 'disabled', after: 'invited' } } } });
  });

  it('a dry run writes no user event', async () => {
    slapd.modify(`dn: ${dn('ev-d')}\nchangetype: modify\nreplace: sn\nsn: Dry\n`);
    const before = (await userEvents('ev-d')).length;
    const run = await syncNow({ dryRun: true });
    expect(run).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
    expect(await userEvents('ev-d')).toHaveLength(before);
    expect((await userByUsername('ev-d'))!.lastName).toBe('Sev-d');
  });
});

describe('a run held by the safety limit', () => {
  it('creates nobody, lists its creates and disables unapplied, and Apply anyway does them with their events', async () => {
    const moveOut = (uid: string) => slapd.modify(`dn: uid=${uid},ou=people,${BASE}\nchangetype: modrdn\nnewrdn: uid=${uid}\ndeleteoldrdn: 0\nnewsuperior: ou=former,${BASE}\n`);
    moveOut('ev-a');
    moveOut('ev-b');
    slapd.add(person('ev-e'));
    const held = await syncNow();
    expect(held).toMatchObject({ status: 'waiting_approval', counts: { created: 1, disabled: 2 } });
    expect(await userByUsername('ev-e')).toBeUndefined();
    const planned = (await listSyncChanges(held.id, 1, { actions: ['create', 'disable'] })).items;
    expect(planned.map((c) => [c.action, c.username, c.applied]).sort()).toEqual([
      ['create', 'ev-e', false],
      ['disable', 'ev-a', false],
      ['disable', 'ev-b', false],
    ]);
    expect(planned.find((c) => c.action === 'create')!.userId).toBeNull();

    const { runId } = await applySyncAnyway(held.id, ADMIN, CLIENT);
    await expect.poll(async () => (await getSyncRun(runId))?.status).toBe('succeeded');
    expect((await getSyncRun(runId))!.counts).toMatchObject({ created: 1, disabled: 2 });
    expect(await userEvents('ev-e')).toMatchObject([{ ...bySync, subType: 'Created', details: { syncRunId: runId } }]);
    expect((await userEvents('ev-a')).at(-1)).toMatchObject({ ...bySync, subType: 'Disabled', details: { syncRunId: runId } });
  });
});
