import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { ADMIN, CLIENT, configureDirectory, directoryUsers, snapshotUsers, syncNow, unitsLdif, userByUsername } from './testing';
import { applySyncAnyway, getSyncRun, listPhoneProblems, listSyncChanges, listSyncRuns, streamPhoneProblemsCsv } from '.';

const BASE = 'dc=example,dc=org';
const people = (rdn: string) => `${rdn},ou=people,${BASE}`;

const person = (uid: string, attrs: Record<string, string | undefined> = {}) =>
  personLdif(people(`uid=${uid}`), { uid, cn: uid, sn: `Sn-${uid}`, givenName: `Gn-${uid}`, mail: `${uid}@example.org`, ...attrs });

let slapd: Slapd;
beforeAll(async () => {
  const ldif = [
    unitsLdif(BASE),
    person('mob', { mobile: '+44 7400 123456' }),
    person('tel', { telephoneNumber: '+33 1 23 45 67 89' }),
    person('both', { mobile: '+44 7400 123457', telephoneNumber: '+33 1 23 45 67 80' }),
    person('none'),
    person('national', { mobile: '07400 123458' }),
    person('shared1', { mobile: '+44 7400 123459' }),
    person('shared2', { mobile: '+44 7400 123459' }),
    personLdif(people('uid=zoe'), { uid: 'zoe', cn: 'Zoë Ångström', givenName: 'Zoë', sn: 'Ångström-Øre', mail: 'zoe@example.org' }),
    personLdif(people('cn=Smith\\, John'), { cn: 'Smith, John', uid: 'jsmith', givenName: 'John', sn: 'Smith', mail: 'jsmith@example.org', mobile: '+44 7400 123450' }),
    personLdif(people('uid=nomail'), { uid: 'nomail', cn: 'No Mail', sn: 'Mail' }),
  ].join('\n');
  slapd = await startSlapd({ ldif });
  await configureDirectory(slapd);
});
afterAll(() => slapd?.destroy());

const events = (subType: string) =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.type, 'Directory Sync'), eq(schema.events.subType, subType)));

describe('directory sync against slapd', () => {
  it('imports directory users: phone from mobile, then telephoneNumber, and says which attribute gave it', async () => {
    const manual = await insertTestUser({ username: 'manual-one', email: 'manual@example.org' });
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', requestedBy: { label: ADMIN.label }, error: null });
    expect(run.counts).toMatchObject({ read: 10, created: 9, updated: 0, disabled: 0, skipped: 1 });
    const users = await directoryUsers();
    expect(users).toHaveLength(9);
    expect(await userByUsername('mob')).toMatchObject({ source: 'directory', status: 'invited', phoneE164: '+447400123456', phoneStatus: 'ok', phoneSource: 'mobile', phoneRaw: '+44 7400 123456' });
    expect(await userByUsername('tel')).toMatchObject({ phoneE164: '+33123456789', phoneStatus: 'ok', phoneSource: 'telephoneNumber' });
    expect(await userByUsername('both')).toMatchObject({ phoneE164: '+447400123457', phoneSource: 'mobile' });
    expect(await userByUsername('none')).toMatchObject({ phoneE164: null, phoneStatus: 'missing', phoneSource: null, phoneRaw: null });
    expect(await userByUsername('national')).toMatchObject({ phoneE164: null, phoneStatus: 'missing_country_code', phoneRaw: '07400 123458', phoneSource: 'mobile' });
    // A shared number is allowed: both users keep it.
    expect((await userByUsername('shared1'))!.phoneE164).toBe('+447400123459');
    expect((await userByUsername('shared2'))!.phoneE164).toBe('+447400123459');
    expect(await userByUsername('zoe')).toMatchObject({ firstName: 'Zoë', lastName: 'Ångström-Øre' });
    const smith = await userByUsername('jsmith');
    expect(smith!.directoryDn!.toLowerCase()).toMatch(/^cn=smith(\\,|\\2c) john,ou=people,dc=example,dc=org$/);
    expect(smith!.directoryId).toMatch(/^[0-9a-f-]{36}$/);
    // Manual users are never touched.
    expect(await userByUsername('manual-one')).toEqual(manual);
    // The entry without mail is listed as skipped, with the reason.
    const skipped = await listSyncChanges(run.id, 1, { actions: ['skip'] });
    expect(skipped.items).toEqual([expect.objectContaining({ dn: people('uid=nomail'), reason: expect.stringContaining('no mail') })]);
    const creates = await listSyncChanges(run.id, 1, { actions: ['create'] });
    expect(creates.total).toBe(9);
    expect(creates.items.find((c) => c.username === 'tel')!.phone).toEqual({ source: 'telephoneNumber', raw: '+33 1 23 45 67 89', status: 'ok' });
    expect(await events('Started')).toHaveLength(1);
    expect((await events('Finished'))[0]!.details).toMatchObject({ syncRunId: run.id, created: 9 });
  });

  it('new users get one invitation (Invitation method, directory invitations on), never a second', async () => {
    const t = schema.singleUseTokens;
    const tokens = () => getDb().select({ n: count() }).from(t).where(eq(t.purpose, 'invitation'));
    expect((await tokens())[0]!.n).toBe(9);
    const mails = await getDb().select().from(schema.outbox).where(and(eq(schema.outbox.channel, 'email'), eq(schema.outbox.recipient, 'mob@example.org')));
    expect(mails).toHaveLength(1);
    await syncNow();
    expect((await tokens())[0]!.n).toBe(9);
  });

  it('a second sync with no directory change rewrites no row', async () => {
    const before = await snapshotUsers();
    const run = await syncNow();
    expect(run.counts).toMatchObject({ read: 10, created: 0, updated: 0, disabled: 0, reenabled: 0, unchanged: 9 });
    expect(await snapshotUsers()).toEqual(before);
  });

  it('with a default region, a number without a country code is normalised and marked "country assumed"', async () => {
    await configureDirectory(slapd, { defaultRegion: 'GB' });
    const run = await syncNow();
    expect(run.counts).toMatchObject({ updated: 1, unchanged: 8 });
    expect(await userByUsername('national')).toMatchObject({ phoneE164: '+447400123458', phoneStatus: 'country_assumed', phoneRaw: '07400 123458' });
    const [change] = (await listSyncChanges(run.id, 1, { actions: ['update'] })).items;
    expect(change!.fields).toMatchObject({ phoneE164: { before: null, after: '+447400123458' }, phoneStatus: { before: 'missing_country_code', after: 'country_assumed' } });
  });

  it('phone health lists every user whose number is not ok, with DN, attribute, raw value and what to fix (and as CSV)', async () => {
    const problems = await listPhoneProblems();
    const byUser = Object.fromEntries(problems.items.map((p) => [p.username, p]));
    expect(Object.keys(byUser).sort()).toEqual(expect.arrayContaining(['national', 'none', 'zoe']));
    expect(byUser.national).toMatchObject({ phoneStatus: 'country_assumed', attribute: 'mobile', raw: '07400 123458', dn: people('uid=national') });
    expect(byUser.none!.fix).toMatch(/Add a mobile number in the directory/);
    let csv = '';
    for await (const chunk of streamPhoneProblemsCsv()) csv += chunk;
    expect(csv.split('\r\n')[0]).toBe('email,username,first_name,last_name,source,dn,attribute,raw_value,assumed_e164,problem,what_to_fix');
    expect(csv).toContain('national@example.org,national,Gn-national,Sn-national,directory,"uid=national,ou=people,dc=example,dc=org",mobile,07400 123458,\'+447400123458,');
  });

  it('a renamed entry (new DN, same entryUUID) stays the same user', async () => {
    const before = await userByUsername('both');
    slapd.modify(`dn: ${people('uid=both')}\nchangetype: modrdn\nnewrdn: uid=both-renamed\ndeleteoldrdn: 0\n`);
    const run = await syncNow();
    expect(run.counts).toMatchObject({ created: 0, updated: 1, disabled: 0 });
    const after = await userByUsername('both');
    expect(after!.id).toBe(before!.id);
    expect(after!.directoryDn).toBe(people('uid=both-renamed'));
  });

  it('a dry run stores the change list (old → new) and applies nothing', async () => {
    slapd.modify(`dn: ${people('uid=mob')}\nchangetype: modify\nreplace: mobile\nmobile: +44 7400 999999\n`);
    const before = await snapshotUsers();
    const run = await syncNow({ dryRun: true });
    expect(run).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(run.counts).toMatchObject({ updated: 1, created: 0 });
    expect(await snapshotUsers()).toEqual(before);
    const changes = await listSyncChanges(run.id);
    const update = changes.items.find((c) => c.action === 'update')!;
    expect(update).toMatchObject({ username: 'mob', applied: false, fields: { phoneE164: { before: '+447400123456', after: '+447400999999' } } });
    // Phone problems of unchanged users are listed too in a dry run.
    expect(changes.items.filter((c) => c.action === 'phone_problem').map((c) => c.username)).toEqual(expect.arrayContaining(['none', 'national']));
    // The real run applies it.
    await syncNow();
    expect((await userByUsername('mob'))!.phoneE164).toBe('+447400999999');
  });

  it('over the safety limit the run waits; Apply anyway disables; a returning user is re-enabled with factor and devices', async () => {
    const tel = (await userByUsername('tel'))!;
    await getDb().insert(schema.mfaFactors).values({ userId: tel.id, phoneE164: '+33123456789', verifiedAt: new Date() });
    await getDb().insert(schema.devices).values({ userId: tel.id, name: 'laptop', platform: 'linux', credentialHash: 'h-tel' });
    // 1 of 9 directory users (11 %) leaves the base DN: more than 10 %.
    slapd.modify(`dn: ${people('uid=tel')}\nchangetype: modrdn\nnewrdn: uid=tel\ndeleteoldrdn: 0\nnewsuperior: ou=former,${BASE}\n`);
    const before = await snapshotUsers();
    const held = await syncNow();
    expect(held).toMatchObject({ status: 'waiting_approval', directoryUsersBefore: 9 });
    expect(held.counts.disabled).toBe(1);
    expect(held.error).toMatch(/1 of 9 directory users \(11 %\) would be disabled/);
    expect(await snapshotUsers()).toEqual(before);
    expect(await events('Aborted by Safety Limit')).toHaveLength(1);
    expect((await listSyncChanges(held.id, 1, { actions: ['disable'] })).items.map((c) => c.username)).toEqual(['tel']);

    const { runId } = await applySyncAnyway(held.id, ADMIN, CLIENT);
    await expect.poll(async () => (await getSyncRun(runId))!.status).toBe('succeeded');
    expect((await getSyncRun(held.id))!.status).toBe('approved');
    expect((await getSyncRun(runId))!.counts.disabled).toBe(1);
    const disabled = (await userByUsername('tel'))!;
    expect(disabled).toMatchObject({ id: tel.id, status: 'disabled', sessionVersion: tel.sessionVersion + 1 });
    expect(await events('Applied Anyway')).toHaveLength(1);
    await expect(applySyncAnyway(held.id, ADMIN, CLIENT)).rejects.toThrow(/not waiting/);

    // Back in the directory: the same row is enabled again, with its factor and devices.
    slapd.modify(`dn: uid=tel,ou=former,${BASE}\nchangetype: modrdn\nnewrdn: uid=tel\ndeleteoldrdn: 0\nnewsuperior: ou=people,${BASE}\n`);
    const back = await syncNow();
    expect(back.counts).toMatchObject({ reenabled: 1, disabled: 0, created: 0 });
    expect(await userByUsername('tel')).toMatchObject({ id: tel.id, status: 'invited', disabledAt: null });
    expect(await getDb().select().from(schema.mfaFactors).where(eq(schema.mfaFactors.userId, tel.id))).toHaveLength(1);
    expect(await getDb().select().from(schema.devices).where(eq(schema.devices.userId, tel.id))).toHaveLength(1);
  });

  it('an admin-disabled directory user who is still in the directory stays disabled', async () => {
    const zoe = (await userByUsername('zoe'))!;
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, zoe.id));
    const run = await syncNow();
    expect(run.counts).toMatchObject({ reenabled: 0, disabled: 0 });
    expect((await userByUsername('zoe'))!.status).toBe('disabled');
    await getDb().update(schema.users).set({ status: 'invited' }).where(eq(schema.users.id, zoe.id));
  });

  it('with the Registration Code method a new user gets one code, once', async () => {
    const a = schema.accountSettings;
    await getDb().insert(a).values({ id: 1, provisioningMethod: 'registration_code' }).onConflictDoUpdate({ target: a.id, set: { provisioningMethod: 'registration_code' } });
    slapd.add(person('newbie', { mobile: '+44 7400 123451' }));
    const run = await syncNow();
    expect(run.counts.created).toBe(1);
    const newbie = (await userByUsername('newbie'))!;
    const codes = () => getDb().select().from(schema.registrationCodes);
    expect((await codes()).map((c) => c.userId)).toEqual([newbie.id]);
    await syncNow();
    expect(await codes()).toHaveLength(1);
    await getDb().update(a).set({ provisioningMethod: 'invitation' }).where(eq(a.id, 1));
  });

  it('a group restriction syncs only its members (member DNs, escaped ones too); the others are held by the safety limit', async () => {
    slapd.add(
      [
        `dn: cn=vpn,ou=groups,${BASE}`,
        'objectClass: groupOfNames',
        'cn: vpn',
        ...['uid=mob', 'cn=Smith\\2C John', 'uid=zoe', 'uid=none', 'uid=shared1', 'uid=shared2', 'uid=national', 'uid=both-renamed', 'uid=tel', 'uid=newbie'].map((r) => `member: ${people(r)}`),
        '',
      ].join('\n'),
    );
    await configureDirectory(slapd, { defaultRegion: 'GB', groupDn: `cn=vpn,ou=groups,${BASE}` });
    const run = await syncNow({ dryRun: true });
    // Everyone is a member except the entry without mail: nothing to disable.
    expect(run.counts).toMatchObject({ read: 10, disabled: 0, created: 0 });
    slapd.modify(`dn: cn=vpn,ou=groups,${BASE}\nchangetype: modify\ndelete: member\nmember: ${people('uid=newbie')}\n`);
    const after = await syncNow({ dryRun: true });
    expect(after.counts).toMatchObject({ read: 9, disabled: 1 });
    expect((await listSyncChanges(after.id, 1, { actions: ['disable'] })).items.map((c) => c.username)).toEqual(['newbie']);
  });

  it('lists the history newest first', async () => {
    const runs = await listSyncRuns(1, 100);
    expect(runs.total).toBeGreaterThan(8);
    expect(runs.items[0]!.requestedAt.getTime()).toBeGreaterThanOrEqual(runs.items.at(-1)!.requestedAt.getTime());
    expect(runs.items.every((r) => r.status !== 'running' && r.finishedAt !== null)).toBe(true);
  });
});
