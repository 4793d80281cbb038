import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { SYSTEM_ACTOR } from '@/lib/events';
import { insertTestUser } from '@/lib/testing/factories';
import { codeListHref, generateForNewUsersSchema, parseCodeListQuery, revokeCodesSchema } from './code-list-schemas';
import { sweepExpiredCodes } from './expire-codes';
import { generateCodes } from './generate-codes';
import { listCodes } from './list-codes';
import { redeemCode } from './redeem-code';
import { revokeCode } from './revoke-code';
import { generateTestCode, TEST_CLIENT } from './testing';

const T0 = new Date('2030-05-06T10:00:15.000Z');
const HOUR_MS = 3_600_000;

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

/** A user whose email starts with a tag of its own, so a filter by it finds only this test's codes. */
async function taggedUser(label: string, overrides: Partial<typeof schema.users.$inferInsert> = {}) {
  const tag = `${label}.${Math.random().toString(36).slice(2, 8)}`;
  return { tag, user: await insertTestUser({ email: `${tag}@Example.com`, username: tag, firstName: 'Cleo', lastName: label, ...overrides }) };
}

const at = (ms: number) => new Date(T0.getTime() + ms);

describe('listCodes', () => {
  it('shows each code with its user, dates, device and status; a valid code past expiry reads expired before the sweep', async () => {
    const { tag, user } = await taggedUser('states');
    const used = await generateTestCode(user.id);
    setClock(at(1_000));
    const revoked = await generateTestCode(user.id);
    setClock(at(2_000));
    const lapsing = await generateTestCode(user.id);
    setClock(at(3_000));
    const valid = await generateTestCode(user.id);

    setClock(at(HOUR_MS));
    const redeemed = await redeemCode({ code: used.code, device: { name: "Cleo's phone", platform: 'android' } }, TEST_CLIENT);
    expect(redeemed.ok).toBe(true);
    expect(await revokeCode(revoked.id, SYSTEM_ACTOR, TEST_CLIENT)).toEqual({ ok: true });
    // `valid` was generated 3 s later, so at `lapsing`'s expiry only `lapsing` is past its time, and no sweep ran.
    setClock(lapsing.expiresAt);
    const storedStatus = async () => (await getDb().select().from(schema.registrationCodes).where(eq(schema.registrationCodes.id, lapsing.id)))[0]!.status;
    expect(await storedStatus()).toBe('valid');

    const list = await listCodes({ q: tag });
    expect(list).toMatchObject({ total: 4, page: 1, pageCount: 1, pageSize: 50 });
    expect(list.rows.map((r) => [r.id, r.status])).toEqual([
      [valid.id, 'valid'],
      [lapsing.id, 'expired'],
      [revoked.id, 'revoked'],
      [used.id, 'used'],
    ]);
    const [, , revokedRow, usedRow] = list.rows;
    expect(usedRow).toEqual({
      id: used.id,
      user: { id: user.id, firstName: 'Cleo', lastName: 'states', username: tag, email: user.email },
      status: 'used',
      createdAt: T0,
      expiresAt: used.expiresAt,
      usedAt: at(HOUR_MS),
      revokedAt: null,
      deviceName: "Cleo's phone",
    });
    expect(revokedRow).toMatchObject({ revokedAt: at(HOUR_MS), usedAt: null, deviceName: null });
    // Nothing secret leaves lib: no lookup, no ciphertext, no code.
    const text = JSON.stringify(list);
    for (const c of [used, revoked, lapsing, valid]) expect(text).not.toContain(c.code);
    expect(Object.keys(list.rows[0]!).sort()).toEqual(['createdAt', 'deviceName', 'expiresAt', 'id', 'revokedAt', 'status', 'usedAt', 'user']);

    // The status filter agrees with what is shown, before and after the sweep marks the code.
    const ids = async (status: 'valid' | 'used' | 'expired' | 'revoked') => (await listCodes({ q: tag, status })).rows.map((r) => r.id);
    expect(await ids('valid')).toEqual([valid.id]);
    expect(await ids('expired')).toEqual([lapsing.id]);
    expect(await ids('used')).toEqual([used.id]);
    expect(await ids('revoked')).toEqual([revoked.id]);
    expect(await sweepExpiredCodes()).toBeGreaterThanOrEqual(1);
    expect(await storedStatus()).toBe('expired');
    expect(await ids('expired')).toEqual([lapsing.id]);
    expect((await listCodes({ q: tag, status: 'expired' })).total).toBe(1);
  });

  it('filters by the beginning of the email, case-insensitively, with LIKE wildcards taken literally', async () => {
    const { tag, user } = await taggedUser('prefix_a%');
    const { user: other } = await taggedUser('prefixXaY');
    await generateTestCode(user.id);
    await generateTestCode(other.id);

    expect((await listCodes({ q: tag.toUpperCase() })).rows.map((r) => r.user.id)).toEqual([user.id]);
    expect((await listCodes({ q: 'prefix_a%' })).rows.map((r) => r.user.id)).toEqual([user.id]);
    expect((await listCodes({ q: 'prefix' })).total).toBe(2);
    // The middle of an address does not match: it is a prefix search.
    expect((await listCodes({ q: tag.slice(3) })).total).toBe(0);
  });

  it('pages 50 at a time, newest first, and shows the last page when asked past it', async () => {
    const tag = `paging.${Math.random().toString(36).slice(2, 8)}`;
    const users = Array.from({ length: 120 }, (_, i) => ({ email: `${tag}.${i}@example.com`, username: `${tag}.${i}`, status: 'active' as const }));
    const ids = (await getDb().insert(schema.users).values(users).returning({ id: schema.users.id })).map((r) => r.id);
    for (let i = 0; i < 3; i++) {
      setClock(at(i * 1_000));
      expect(await generateCodes(ids.slice(i * 40, i * 40 + 40), SYSTEM_ACTOR, TEST_CLIENT)).toBe(40);
    }
    const pages = await Promise.all([1, 2, 3].map((page) => listCodes({ q: tag, page })));
    expect(pages.map((p) => [p.page, p.pageCount, p.total, p.rows.length])).toEqual([
      [1, 3, 120, 50],
      [2, 3, 120, 50],
      [3, 3, 120, 20],
    ]);
    const all = pages.flatMap((p) => p.rows);
    expect(new Set(all.map((r) => r.id)).size).toBe(120);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.createdAt > b.createdAt || (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id)).toBe(true);
    }
    expect(all.slice(0, 40).every((r) => r.createdAt.getTime() === at(2_000).getTime())).toBe(true);

    const past = await listCodes({ q: tag, page: 9 });
    expect(past.page).toBe(3);
    expect(past.rows.map((r) => r.id)).toEqual(pages[2]!.rows.map((r) => r.id));
    expect(await listCodes({ q: `${tag}.none` })).toMatchObject({ rows: [], total: 0, page: 1, pageCount: 1 });
  });
});

describe('the list URL', () => {
  it('reads the filter and page, dropping anything invalid, and writes them back without defaults', () => {
    expect(parseCodeListQuery({ status: 'expired', q: '  Ann ', page: '3' })).toEqual({ status: 'expired', q: 'Ann', page: 3 });
    expect(parseCodeListQuery({ status: 'bogus', q: '', page: '-1' })).toEqual({ status: undefined, q: undefined, page: 1 });
    expect(parseCodeListQuery({ status: ['used', 'valid'], page: 'x' })).toEqual({ status: 'used', q: undefined, page: 1 });
    expect(codeListHref({ status: 'used', q: 'a+b@x', page: 2 })).toBe('/admin/registration-codes?status=used&q=a%2Bb%40x&page=2');
    expect(codeListHref({ page: 1 })).toBe('/admin/registration-codes');
  });
});

describe('the forms', () => {
  it('Revoke takes 1 to 50 code ids, one or repeated', () => {
    const id = '6b1f9c1e-8f5a-4c55-9d2b-3f0a1b2c3d4e';
    expect(revokeCodesSchema.parse({ ids: id })).toEqual({ ids: [id] });
    expect(revokeCodesSchema.safeParse({}).success).toBe(false);
    expect(revokeCodesSchema.safeParse({ ids: ['nope'] }).success).toBe(false);
    expect(revokeCodesSchema.safeParse({ ids: Array.from({ length: 51 }, () => id) }).success).toBe(false);
  });

  it('Generate For New Users needs the confirmation field, so a bare POST generates nothing', () => {
    expect(generateForNewUsersSchema.safeParse({}).success).toBe(false);
    expect(generateForNewUsersSchema.safeParse({ confirm: 'generate' }).success).toBe(true);
  });
});
