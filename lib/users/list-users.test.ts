import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { now, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import type { UserFilter, UserSort } from './user-filter';
import { countUsersMatching, listUserIdsMatching, listUsers, parseUserListView, type SortDirection } from './list-users';

const DAY = 86_400_000;

beforeEach(async () => {
  // Each test starts from no users (codes and factors cascade).
  await getDb().delete(schema.users).where(sql`true`);
});

afterEach(() => resetClock());

async function ids(filter: UserFilter): Promise<string[]> {
  const page = await listUsers({ filter, pageSize: 100 });
  return page.rows.map((r) => r.id).sort();
}

const sorted = (...list: string[]) => [...list].sort();

async function addCode(userId: string, overrides: Partial<typeof schema.registrationCodes.$inferInsert> = {}) {
  await getDb()
    .insert(schema.registrationCodes)
    .values({ userId, lookup: randomBytes(8).toString('hex'), ciphertext: 'x', expiresAt: new Date(now().getTime() + DAY), ...overrides });
}

async function addFactor(userId: string, overrides: Partial<typeof schema.mfaFactors.$inferInsert>) {
  await getDb().insert(schema.mfaFactors).values({ userId, phoneE164: '+14155550123', ...overrides });
}

async function insertMany(n: number, overrides: (i: number) => Partial<typeof schema.users.$inferInsert> = () => ({})) {
  const rows = [];
  for (let i = 0; i < n; i += 1) rows.push(await insertTestUser(overrides(i)));
  return rows;
}

describe('listUsers rows', () => {
  it('returns the row DTO with MFA state and the count of valid, unexpired codes only', async () => {
    const at = new Date('2030-01-01T00:00:00Z');
    setClock(at);
    const user = await insertTestUser({
      firstName: 'Grace',
      lastName: 'Hopper',
      source: 'directory',
      status: 'invited',
      phoneE164: '+14155550123',
      phoneStatus: 'ok',
      passwordHash: 'secret-hash',
      createdAt: at,
    });
    await addCode(user.id);
    await addCode(user.id);
    await addCode(user.id, { status: 'used' });
    await addCode(user.id, { status: 'revoked' });
    await addCode(user.id, { expiresAt: new Date(at.getTime() - 1000) });
    await addFactor(user.id, { verifiedAt: at });

    const page = await listUsers({ filter: {} });
    expect(page).toMatchObject({ total: 1, page: 1, pageCount: 1, pageSize: 50 });
    expect(page.rows[0]).toEqual({
      id: user.id,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: user.email,
      username: user.username,
      source: 'directory',
      status: 'invited',
      phoneE164: '+14155550123',
      phoneStatus: 'ok',
      mfa: 'enrolled',
      validCodes: 2,
      createdAt: at,
      lastSignInAt: null,
    });
    expect(JSON.stringify(page)).not.toContain('secret-hash');

    setClock(new Date(at.getTime() + 2 * DAY)); // both valid codes have now expired
    expect((await listUsers({ filter: {} })).rows[0]!.validCodes).toBe(0);
  });

  it('reports MFA as locked before enrolled, and not enrolled without a verified factor', async () => {
    const none = await insertTestUser();
    const pending = await insertTestUser();
    const enrolled = await insertTestUser();
    const locked = await insertTestUser();
    await addFactor(pending.id, {});
    await addFactor(enrolled.id, { verifiedAt: now() });
    await addFactor(locked.id, { verifiedAt: now(), lockedAt: now() });
    const rows = (await listUsers({ filter: {} })).rows;
    const mfa = Object.fromEntries(rows.map((r) => [r.id, r.mfa]));
    expect(mfa).toEqual({ [none.id]: 'not_enrolled', [pending.id]: 'not_enrolled', [enrolled.id]: 'enrolled', [locked.id]: 'locked' });
  });

  it('returns an empty first page when nothing matches', async () => {
    expect(await listUsers({ filter: { q: 'nobody' } })).toEqual({ rows: [], total: 0, page: 1, pageCount: 1, pageSize: 50 });
  });
});

describe('listUsers filters', () => {
  it('narrows by source, status and phone', async () => {
    const manualActive = await insertTestUser({ source: 'manual', status: 'active', phoneStatus: 'ok', phoneE164: '+14155550100' });
    const directoryInvited = await insertTestUser({ source: 'directory', status: 'invited', phoneStatus: 'country_assumed' });
    const manualDisabled = await insertTestUser({ source: 'manual', status: 'disabled', phoneStatus: 'missing_country_code' });
    const invalid = await insertTestUser({ status: 'active', phoneStatus: 'invalid' });
    const missing = await insertTestUser({ status: 'active', phoneStatus: 'missing' });

    expect(await ids({ source: 'directory' })).toEqual([directoryInvited.id]);
    expect(await ids({ source: 'manual' })).toEqual(sorted(manualActive.id, manualDisabled.id, invalid.id, missing.id));
    expect(await ids({ status: 'invited' })).toEqual([directoryInvited.id]);
    expect(await ids({ status: 'disabled' })).toEqual([manualDisabled.id]);
    expect(await ids({ status: 'active' })).toEqual(sorted(manualActive.id, invalid.id, missing.id));
    expect(await ids({ phone: 'ok' })).toEqual([manualActive.id]);
    expect(await ids({ phone: 'problem' })).toEqual(sorted(directoryInvited.id, manualDisabled.id, invalid.id, missing.id));
    expect(await ids({ phone: 'country_assumed' })).toEqual([directoryInvited.id]);
    expect(await ids({ phone: 'missing_country_code' })).toEqual([manualDisabled.id]);
    expect(await ids({ phone: 'invalid' })).toEqual([invalid.id]);
    expect(await ids({ phone: 'missing' })).toEqual([missing.id]);
    expect(await ids({ source: 'manual', status: 'active', phone: 'problem' })).toEqual(sorted(invalid.id, missing.id));
  });

  it('narrows by MFA state', async () => {
    const none = await insertTestUser();
    const pending = await insertTestUser();
    const enrolled = await insertTestUser();
    const locked = await insertTestUser();
    await addFactor(pending.id, {});
    await addFactor(enrolled.id, { verifiedAt: now() });
    await addFactor(locked.id, { verifiedAt: now(), lockedAt: now() });

    // A locked factor is still an enrolled one; "locked" narrows to the locked ones.
    expect(await ids({ mfa: 'enrolled' })).toEqual(sorted(enrolled.id, locked.id));
    expect(await ids({ mfa: 'not_enrolled' })).toEqual(sorted(none.id, pending.id));
    expect(await ids({ mfa: 'locked' })).toEqual([locked.id]);
  });

  it('narrows by registration code: a valid unexpired code, or none', async () => {
    const valid = await insertTestUser();
    const expired = await insertTestUser();
    const used = await insertTestUser();
    const without = await insertTestUser();
    await addCode(valid.id);
    await addCode(expired.id, { expiresAt: new Date(now().getTime() - 1000) });
    await addCode(used.id, { status: 'used' });

    expect(await ids({ code: 'valid' })).toEqual([valid.id]);
    expect(await ids({ code: 'none' })).toEqual(sorted(expired.id, used.id, without.id));
  });
});

describe('listUsers search', () => {
  it('matches a prefix of email, username, first or last name, or "first last", ignoring case', async () => {
    const ada = await insertTestUser({ firstName: 'Ada', lastName: 'Lovelace', email: 'countess@Analytical.example', username: 'ALovelace' });
    const alan = await insertTestUser({ firstName: 'Alan', lastName: 'Turing', email: 'alan.turing@example.com', username: 'enigma' });
    const grace = await insertTestUser({ firstName: 'Grace', lastName: 'Hopper', email: 'amazing.grace@example.com', username: 'cobol' });

    expect(await ids({ q: 'COUNTESS@ana' })).toEqual([ada.id]);
    expect(await ids({ q: 'alan.t' })).toEqual([alan.id]);
    expect(await ids({ q: 'alove' })).toEqual([ada.id]);
    expect(await ids({ q: 'ENIG' })).toEqual([alan.id]);
    expect(await ids({ q: 'hop' })).toEqual([grace.id]);
    expect(await ids({ q: 'gra' })).toEqual([grace.id]);
    expect(await ids({ q: 'a' })).toEqual(sorted(ada.id, alan.id, grace.id));
    expect(await ids({ q: 'ada love' })).toEqual([ada.id]);
    expect(await ids({ q: 'Grace  Hopper' })).toEqual([grace.id]);
    expect(await ids({ q: 'ada turing' })).toEqual([]);
    // Prefix, not substring.
    expect(await ids({ q: 'turing' })).toEqual([alan.id]); // the last name, not the middle of the email
    expect(await ids({ q: 'example.com' })).toEqual([]);
    expect(await ids({ q: 'ovelace' })).toEqual([]);
  });

  it('treats LIKE metacharacters as literal characters', async () => {
    const percent = await insertTestUser({ email: 'a%b@example.com', username: 'pct' });
    const under = await insertTestUser({ email: 'a_b@example.com', username: 'und' });
    const plain = await insertTestUser({ email: 'axb@example.com', username: 'plain' });
    const slash = await insertTestUser({ email: 'a\\b@example.com', username: 'slash' });

    expect(await ids({ q: 'a%' })).toEqual([percent.id]);
    expect(await ids({ q: 'a_' })).toEqual([under.id]);
    expect(await ids({ q: 'a\\' })).toEqual([slash.id]);
    expect(await ids({ q: 'ax' })).toEqual([plain.id]);
    expect(await ids({ q: '%' })).toEqual([]);
    expect(await ids({ q: '_' })).toEqual([]);
  });
});

describe('listUsers sort', () => {
  async function order(sort: UserSort, dir: SortDirection): Promise<string[]> {
    return (await listUsers({ filter: {}, sort, dir })).rows.map((r) => r.id);
  }

  it('sorts by name, email, created and status, breaking ties by id in both directions', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    const t1 = new Date('2030-01-02T00:00:00Z');
    const make = (firstName: string, lastName: string, email: string, status: 'invited' | 'active' | 'disabled', createdAt: Date) =>
      insertTestUser({ firstName, lastName, email, status, createdAt });
    const users = [
      await make('Ada', 'baker', 'cc@example.com', 'active', t1),
      await make('ada', 'Baker', 'AA@example.com', 'active', t0),
      await make('Zoe', 'Adams', 'bb@example.com', 'invited', t1),
      await make('Ada', 'BAKER', 'dd@example.com', 'disabled', t0),
      await make('Bob', 'baker', 'ee@example.com', 'active', t0),
    ];
    const [u0, u1, u2, u3, u4] = users.map((u) => u.id) as [string, string, string, string, string];
    const byId = (...list: string[]) => [...list].sort();

    // name = lower(last), lower(first), id: Adams; then the three "ada baker" tied → by id; then Bob Baker.
    const name = [u2, ...byId(u0, u1, u3), u4];
    expect(await order('name', 'asc')).toEqual(name);
    expect(await order('name', 'desc')).toEqual([...name].reverse());

    const email = [u1, u2, u0, u3, u4];
    expect(await order('email', 'asc')).toEqual(email);
    expect(await order('email', 'desc')).toEqual([...email].reverse());

    const created = [...byId(u1, u3, u4), ...byId(u0, u2)];
    expect(await order('created', 'asc')).toEqual(created);
    expect(await order('created', 'desc')).toEqual([...created].reverse());
    expect(await order('created', 'desc')).toEqual((await listUsers({ filter: {} })).rows.map((r) => r.id)); // the default

    // status follows the enum order invited, active, disabled; then created, then id.
    const status = [u2, ...byId(u1, u4), u0, u3];
    expect(await order('status', 'asc')).toEqual(status);
    expect(await order('status', 'desc')).toEqual([...status].reverse());
  });
});

describe('listUsers pagination', () => {
  it('pages through ties with no duplicates or gaps, and clamps a page past the end', async () => {
    const createdAt = new Date('2030-01-01T00:00:00Z');
    const users = await insertMany(60, (i) => ({ createdAt, lastName: i % 2 ? 'Same' : 'Other', firstName: 'Name' }));
    for (const sort of ['created', 'name', 'status', 'email'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        for (let page = 1; page <= 3; page += 1) {
          const result = await listUsers({ filter: {}, sort, dir, page, pageSize: 25 });
          expect(result).toMatchObject({ total: 60, page, pageCount: 3, pageSize: 25 });
          expect(result.rows).toHaveLength(page < 3 ? 25 : 10);
          seen.push(...result.rows.map((r) => r.id));
        }
        expect(new Set(seen).size).toBe(60);
        expect(sorted(...seen)).toEqual(sorted(...users.map((u) => u.id)));
        // The pages concatenated are the same order as one big page.
        expect((await listUsers({ filter: {}, sort, dir, pageSize: 100 })).rows.map((r) => r.id)).toEqual(seen);
      }
    }
    const past = await listUsers({ filter: {}, page: 9, pageSize: 25 });
    expect(past).toMatchObject({ page: 3, pageCount: 3, total: 60 });
    expect(past.rows).toHaveLength(10);
  });

  it('reads sort, direction, page and size from the URL, falling back on anything invalid', () => {
    expect(parseUserListView({})).toEqual({ sort: 'created', dir: 'desc', page: 1, pageSize: 50 });
    expect(parseUserListView({ sort: 'name' })).toEqual({ sort: 'name', dir: 'asc', page: 1, pageSize: 50 });
    expect(parseUserListView({ sort: 'email', dir: 'desc', page: '4', size: '100' })).toEqual({ sort: 'email', dir: 'desc', page: 4, pageSize: 100 });
    expect(parseUserListView({ sort: 'password', dir: 'up', page: '-2', size: '1000000' })).toEqual({ sort: 'created', dir: 'desc', page: 1, pageSize: 50 });
    expect(parseUserListView({ page: '2.5', size: ['25', '100'] })).toEqual({ sort: 'created', dir: 'desc', page: 1, pageSize: 25 });
  });
});

describe('countUsersMatching and listUserIdsMatching', () => {
  it('count the same users as the list total', async () => {
    await insertMany(12, (i) => ({ status: i % 3 === 0 ? 'disabled' : 'active', source: i % 4 === 0 ? 'directory' : 'manual' }));
    for (const filter of [{}, { status: 'disabled' }, { source: 'directory' }, { status: 'active', source: 'manual' }, { q: 'zzz' }] as UserFilter[]) {
      expect(await countUsersMatching(filter)).toBe((await listUsers({ filter })).total);
    }
    expect(await countUsersMatching({})).toBe(12);
    expect(await countUsersMatching({ status: 'disabled' })).toBe(4);
  });

  it('returns batches by id that cover every matching user exactly once, even while the users change', async () => {
    const users = await insertMany(23, (i) => ({ status: i < 20 ? 'active' : 'disabled' }));
    const active = users.filter((u) => u.status === 'active').map((u) => u.id);
    const seen: string[] = [];
    let afterId: string | undefined;
    for (;;) {
      const batch = await listUserIdsMatching({ status: 'active' }, { afterId, limit: 7 });
      if (batch.length === 0) break;
      expect(batch.length).toBeLessThanOrEqual(7);
      expect(batch).toEqual(sorted(...batch));
      seen.push(...batch);
      afterId = batch.at(-1);
      // What a bulk "disable" does: the processed users stop matching the filter.
      await getDb()
        .update(schema.users)
        .set({ status: 'disabled' })
        .where(sql`${schema.users.id} in ${batch}`);
    }
    expect(seen).toHaveLength(20);
    expect(sorted(...seen)).toEqual(sorted(...active));
    await expect(listUserIdsMatching({}, { limit: 0 })).rejects.toThrow(RangeError);
  });
});
