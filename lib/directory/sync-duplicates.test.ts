import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { personLdif, startSlapd, type Slapd } from '@/lib/testing/slapd';
import { configureDirectory, directoryUsers, syncNow, unitsLdif } from './testing';
import { listSyncChanges } from '.';

const BASE = 'dc=example,dc=org';
const dn = (uid: string) => `uid=${uid},ou=people,${BASE}`;
const person = (uid: string, attrs: Record<string, string> = {}) => personLdif(dn(uid), { uid, cn: uid, sn: `Sn-${uid}`, mail: `${uid}@example.org`, ...attrs });

let slapd: Slapd;
beforeAll(async () => {
  // In search order: first holds the email both want, second wants it too (other case); third and fourth
  // share a username. A page size of 1 puts each on a page of its own, so only the run's claims can catch them.
  const ldif = [
    unitsLdif(BASE, ['people']),
    person('first', { mail: 'shared@example.org' }),
    person('second', { mail: 'SHARED@example.org' }),
    personLdif(dn('third'), { uid: 'same', cn: 'third', sn: 'Third', mail: 'third@example.org' }),
    personLdif(dn('fourth'), { uid: 'SAME', cn: 'fourth', sn: 'Fourth', mail: 'fourth@example.org' }),
  ].join('\n');
  slapd = await startSlapd({ ldif });
  const a = schema.accountSettings;
  await getDb().insert(a).values({ id: 1, inviteDirectoryUsers: false }).onConflictDoUpdate({ target: a.id, set: { inviteDirectoryUsers: false } });
  await configureDirectory(slapd, { pageSize: 1 });
});
afterAll(() => slapd?.destroy());

const skipsOf = async (runId: string) => (await listSyncChanges(runId, 1, { actions: ['skip'] })).items.map((c) => ({ dn: c.dn, reason: c.reason }));

describe('two directory entries with one email address or username', () => {
  it('creates the first and skips the second, within a run and in every run after it', async () => {
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.counts).toMatchObject({ read: 4, created: 2, skipped: 2 });
    expect((await directoryUsers()).map((u) => u.username).sort()).toEqual(['first', 'same']);
    expect(await skipsOf(run.id)).toEqual(
      expect.arrayContaining([
        { dn: dn('second'), reason: 'Another directory entry in this sync has the same email address or username.' },
        { dn: dn('fourth'), reason: 'Another directory entry in this sync has the same email address or username.' },
      ]),
    );

    // Next run: the first holders are unchanged (they claim nothing), and the users table still says who holds what.
    const again = await syncNow();
    expect(again.counts).toMatchObject({ read: 4, created: 0, updated: 0, disabled: 0, skipped: 2, unchanged: 2 });
    expect(await skipsOf(again.id)).toEqual(
      expect.arrayContaining([
        { dn: dn('second'), reason: 'The email address SHARED@example.org already belongs to another user.' },
        { dn: dn('fourth'), reason: 'The username SAME already belongs to another user.' },
      ]),
    );
    expect((await directoryUsers()).map((u) => u.username).sort()).toEqual(['first', 'same']);
  });
});
