import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'ldapts';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { configureDirectory, directoryUsers, snapshotUsers, syncNow, unitsLdif } from './testing';

const BASE = 'dc=example,dc=org';
const N = 300;
const uuid = (i: number) => `6a1f0000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** The same entries (same entryUUIDs) on every server, so a sync from one matches the users another made. */
const people = Array.from({ length: N }, (_, i) =>
  personLdif(`uid=p${i},ou=people,${BASE}`, { uid: `p${i}`, cn: `P ${i}`, sn: `Last ${i}`, mail: `p${i}@example.org`, entryUUID: uuid(i) }),
);
/** Entries that are only referrals to another server (objectClass referral): a search under ou=moved returns references, no entries. */
const moved = [0, 1].map((i) => `dn: cn=r${i},ou=moved,${BASE}\nobjectClass: referral\nobjectClass: extensibleObject\ncn: r${i}\nref: ldap://other.example.org/ou=people,${BASE}\n`);
let full: Slapd;
/** Pages of 100; a paged search may return at most 250 entries in all: it fails on the third page. */
let capped: Slapd;

beforeAll(async () => {
  const ldif = [unitsLdif(BASE, ['people', 'moved']), ...people, ...moved].join('\n');
  [full, capped] = await Promise.all([startSlapd({ ldif }), startSlapd({ ldif, sizeLimit: 100, pagedTotalLimit: 250 })]);
  const a = schema.accountSettings;
  await getDb().insert(a).values({ id: 1, inviteDirectoryUsers: false }).onConflictDoUpdate({ target: a.id, set: { inviteDirectoryUsers: false } });
  await configureDirectory(full, { pageSize: 100 });
  expect(await syncNow()).toMatchObject({ status: 'succeeded', counts: { created: N } });
  // Pending work a failed run must not do: an update on the first page, and every user past the cap would look gone.
  capped.modify(`dn: uid=p1,ou=people,${BASE}\nchangetype: modify\nreplace: sn\nsn: Changed\n`);
}, 120_000);
afterAll(async () => {
  await Promise.all([full?.destroy(), capped?.destroy()]);
});

/** Runs a sync that must fail with this reason, and proves no user changed and nothing stayed staged. */
async function expectFailedRun(reason: RegExp) {
  const before = await snapshotUsers();
  const run = await syncNow();
  expect(run).toMatchObject({ status: 'failed', counts: { created: 0, updated: 0, disabled: 0, reenabled: 0 } });
  expect(run.error).toMatch(reason);
  expect(run.error).toMatch(/No user was changed\.$/);
  expect(await snapshotUsers()).toEqual(before);
  return run;
}

describe('an incomplete answer changes nothing', () => {
  it('a size limit hit in the middle of a paged search (slapd size.prtotal) fails the run', async () => {
    // The server really sends two full pages and then stops with sizeLimitExceeded.
    const raw = new Client({ url: capped.url });
    await raw.bind(capped.readerDn, capped.readerPassword);
    let received = 0;
    const pages = raw.searchPaginated(`ou=people,${BASE}`, { filter: '(objectClass=inetOrgPerson)', paged: { pageSize: 100 } });
    await expect(
      (async () => {
        for await (const page of pages) received += page.searchEntries.length;
      })(),
    ).rejects.toMatchObject({ code: 4 });
    expect(received).toBe(200);
    await raw.unbind();

    await configureDirectory(capped, { pageSize: 100 });
    const run = await expectFailedRun(/^The directory stopped at its size limit, so the result is incomplete\./);
    expect(run.counts.read).toBe(200);
  });

  it('an answer of referrals only (no entries) fails the run', async () => {
    await configureDirectory(full, { pageSize: 100, baseDn: `ou=moved,${BASE}` });
    await expectFailedRun(/^The directory returned only referrals \(2\) and no entries under ou=moved,dc=example,dc=org\./);
  });
});

describe('Active Directory objectGUID', () => {
  let ad: Slapd;
  const guid = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');
  afterAll(() => ad?.destroy());

  it('a binary objectGUID becomes the canonical GUID string (first three groups little-endian) and keys the user', async () => {
    // slapadd wants all objectClass values together: the auxiliary class goes right after inetOrgPerson.
    const entry = personLdif(`uid=guid,ou=people,${BASE}`, { uid: 'guid', cn: 'Guid', sn: 'Guid', mail: 'guid@example.org' })
      .replace('objectClass: inetOrgPerson\n', 'objectClass: inetOrgPerson\nobjectClass: onrampAdUser\n');
    ad = await startSlapd({ adSchema: true, ldif: [unitsLdif(BASE, ['people']), `${entry}objectGUID:: ${guid.toString('base64')}\n`].join('\n') });
    await configureDirectory(ad, { idAttribute: 'objectGUID' });
    // The earlier users are not in this directory: let the run disable them so its counts stay simple.
    await getDb().update(schema.users).set({ source: 'manual', directoryId: null });
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 1 } });
    const [user] = (await directoryUsers()).filter((u) => u.username === 'guid');
    expect(user!.directoryId).toBe('04030201-0605-0807-090a-0b0c0d0e0f10');
    // A rename keeps the user: the GUID is the key, not the DN.
    ad.modify(`dn: uid=guid,ou=people,${BASE}\nchangetype: modrdn\nnewrdn: uid=guid2\ndeleteoldrdn: 0\n`);
    const again = await syncNow();
    expect(again).toMatchObject({ status: 'succeeded', counts: { created: 0, updated: 1 } });
    expect((await directoryUsers()).find((u) => u.id === user!.id)).toMatchObject({ directoryDn: `uid=guid2,ou=people,${BASE}`, directoryId: user!.directoryId });
  });
});
