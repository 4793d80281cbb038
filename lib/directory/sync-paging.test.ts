import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { configureDirectory, directoryUsers, snapshotUsers, syncNow, unitsLdif } from './testing';

const BASE = 'dc=example,dc=org';
const N = 1200;
let slapd: Slapd;

beforeAll(async () => {
  const people = Array.from({ length: N }, (_, i) =>
    personLdif(`uid=u${i},ou=people,${BASE}`, { uid: `u${i}`, cn: `User ${i}`, sn: `Nº ${i}`, mail: `u${i}@example.org`, mobile: i % 10 === 0 ? undefined : `+4474${String(i).padStart(8, '0')}` }),
  );
  slapd = await startSlapd({ ldif: [unitsLdif(BASE, ['people']), ...people].join('\n'), sizeLimit: 500 });
  // Invitation emails are tested elsewhere; here they would only slow the run down.
  const a = schema.accountSettings;
  await getDb().insert(a).values({ id: 1, inviteDirectoryUsers: false }).onConflictDoUpdate({ target: a.id, set: { inviteDirectoryUsers: false } });
}, 120_000);
afterAll(() => slapd?.destroy());

describe('paging past the server size limit', () => {
  it(`imports all ${N} entries with paged searches of 500 (sizelimit 500), then rewrites only what changed`, async () => {
    // The server really stops an unpaged search at 500 entries.
    const raw = new Client({ url: slapd.url });
    await raw.bind(slapd.readerDn, slapd.readerPassword);
    await expect(raw.search(`ou=people,${BASE}`, { filter: '(objectClass=inetOrgPerson)' })).rejects.toMatchObject({ code: 4 });
    await raw.unbind();
    await configureDirectory(slapd, { pageSize: 500 });
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(run.counts).toMatchObject({ read: N, created: N, phoneProblems: N / 10 });
    expect(await directoryUsers()).toHaveLength(N);

    slapd.modify(Array.from({ length: 12 }, (_, k) => `dn: uid=u${k * 100 + 1},ou=people,${BASE}\nchangetype: modify\nreplace: sn\nsn: Changed ${k}\n`).join('\n'));
    const before = new Map((await snapshotUsers()).map((u) => [u.id, u.updatedAt.getTime()]));
    const second = await syncNow();
    expect(second.counts).toMatchObject({ read: N, created: 0, updated: 12, unchanged: N - 12, disabled: 0 });
    const rewritten = (await snapshotUsers()).filter((u) => u.updatedAt.getTime() !== before.get(u.id));
    expect(rewritten.map((u) => u.lastName).sort()).toEqual(Array.from({ length: 12 }, (_, k) => `Changed ${k}`).sort());
  }, 120_000);
});
