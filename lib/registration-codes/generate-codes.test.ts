import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsOf, schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { type Actor } from '@/lib/events';
import { ensureAccountSettings } from '@/lib/settings';
import { insertTestUser } from '@/lib/testing/factories';
import { normaliseCode } from './code-format';
import { countUsersWithoutCodes, generateCodes, generateCodesForNewUsers } from './generate-codes';
import { revokeCode } from './revoke-code';
import { generateTestCode, insertManyTestUsers, TEST_CLIENT } from './testing';

const T0 = new Date('2030-05-06T10:00:15.000Z');
const ADMIN: Actor = { type: 'admin', id: '3f8e2a57-6c1d-4b9e-8a0f-5d4c3b2a1908', label: 'grace@example.com' };

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

const rc = schema.registrationCodes;
const codesOf = (userIds: string[]) => getDb().select().from(rc).where(inArray(rc.userId, userIds));
const generatedEvents = (userIds: string[]) =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.subType, 'Generated'), inArray(schema.events.subjectUserId, userIds)));

async function setCodeSettings(values: Partial<typeof schema.accountSettings.$inferInsert>) {
  await ensureAccountSettings();
  await getDb().update(schema.accountSettings).set(values).where(eq(schema.accountSettings.id, 1));
}

/**
 * Runs `work` while the first code inserted collides: just before it is stored, a row of `bystanderId`
 * takes its lookup (a sequence counts the rows, and the trigger's own insert is its second).
 * `rowsSeen` reads that count (sequences ignore rollbacks).
 */
async function withPlantedCollision(bystanderId: string, work: (rowsSeen: () => Promise<number>) => Promise<void>) {
  await getDb().execute(sql`create sequence collide_once`);
  await getDb().execute(sql`create function collide_once() returns trigger language plpgsql as $$
    begin
      if nextval('collide_once') = 1 then
        insert into registration_codes (user_id, lookup, ciphertext, expires_at) values (${sql.raw(`'${bystanderId}'`)}::uuid, new.lookup, 'planted', now());
      end if;
      return new;
    end $$`);
  await getDb().execute(sql`create trigger collide_once before insert on registration_codes for each row execute function collide_once()`);
  try {
    await work(async () => rowsOf<{ n: number }>(await getDb().execute(sql`select last_value::int as n from collide_once`))[0]!.n);
  } finally {
    await getDb().execute(sql`drop trigger collide_once on registration_codes`);
    await getDb().execute(sql`drop function collide_once()`);
    await getDb().execute(sql`drop sequence collide_once`);
  }
}

describe('generateCodes', () => {
  it('gives each listed user who is not disabled one code, with a Generated event that holds no code', async () => {
    const active = await insertTestUser();
    const invited = await insertTestUser({ status: 'invited' });
    const disabled = await insertTestUser({ status: 'disabled' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const ids = [active.id, invited.id, disabled.id, unknown, active.id];
    expect(await generateCodes(ids, ADMIN, TEST_CLIENT)).toBe(2);

    const rows = await codesOf(ids);
    expect(rows.map((r) => r.userId).sort()).toEqual([active.id, invited.id].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'valid', createdAt: T0, expiresAt: new Date(T0.getTime() + 7 * 86_400_000), usedAt: null, deviceId: null });
      expect(row.lookup).toMatch(/^[0-9a-f]{64}$/);
    }
    const events = await generatedEvents(ids);
    expect(events).toHaveLength(2);
    for (const e of events) {
      const row = rows.find((r) => r.userId === e.subjectUserId)!;
      expect(e).toMatchObject({ type: 'Registration Code', actorType: 'admin', actorId: ADMIN.id, actorLabel: ADMIN.label, ip: TEST_CLIENT.ip });
      expect(e.details).toEqual({ registrationId: row.id, expiresAt: row.expiresAt.toISOString() });
    }
  });

  it('gives a user whose new code collides with a stored lookup another code, keeping one code and one event per user', async () => {
    const users = [await insertTestUser(), await insertTestUser()];
    const ids = users.map((u) => u.id);
    const bystander = await insertTestUser();
    // The first code of the batch collides: just before it is inserted, another user's row takes its lookup.
    await withPlantedCollision(bystander.id, async () => {
      expect(await generateCodes(ids, ADMIN, TEST_CLIENT)).toBe(2);
    });
    const rows = await codesOf(ids);
    expect(rows.map((r) => r.userId).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.lookup)).size).toBe(2);
    expect(await generatedEvents(ids)).toHaveLength(2);
    expect(await codesOf([bystander.id])).toHaveLength(1);
  });

  it('takes length and lifetime from the settings at generation time', async () => {
    const user = await insertTestUser();
    await setCodeSettings({ codeLength: 16, codeLifetimeValue: 2, codeLifetimeUnit: 'hours' });
    const code = await generateTestCode(user.id);
    expect(normaliseCode(code.code)).toHaveLength(16);
    expect(code.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(code.expiresAt).toEqual(new Date(T0.getTime() + 2 * 3_600_000));

    await setCodeSettings({ codeLength: 12, codeLifetimeValue: 7, codeLifetimeUnit: 'days' });
    // The earlier code keeps the length and expiry it was generated with.
    const [row] = await getDb().select().from(rc).where(eq(rc.id, code.id));
    expect(row!.expiresAt).toEqual(code.expiresAt);
    expect(normaliseCode((await generateTestCode(user.id)).code)).toHaveLength(12);
  });
});

describe('generateCodesForNewUsers', () => {
  it('gives a code to every user who never had one, skips disabled users, and is idempotent', async () => {
    // Everyone from the tests above already had a code, or is disabled.
    expect(await countUsersWithoutCodes()).toBe(0);
    const hadRevoked = await insertTestUser();
    await revokeCode((await generateTestCode(hadRevoked.id)).id, ADMIN, TEST_CLIENT);
    const fresh = await insertTestUser();
    const invited = await insertTestUser({ status: 'invited' });
    const disabled = await insertTestUser({ status: 'disabled' });
    expect(await countUsersWithoutCodes()).toBe(2);

    expect(await generateCodesForNewUsers(ADMIN, TEST_CLIENT)).toBe(2);
    const rows = await codesOf([hadRevoked.id, fresh.id, invited.id, disabled.id]);
    expect(rows.filter((r) => r.userId === fresh.id)).toHaveLength(1);
    expect(rows.filter((r) => r.userId === invited.id)).toHaveLength(1);
    expect(rows.filter((r) => r.userId === disabled.id)).toHaveLength(0);
    expect(rows.filter((r) => r.userId === hadRevoked.id).map((r) => r.status)).toEqual(['revoked']);

    expect(await countUsersWithoutCodes()).toBe(0);
    expect(await generateCodesForNewUsers(ADMIN, TEST_CLIENT)).toBe(0);
  });

  it('starts over with new codes when one collides with a stored lookup, keeping one code and one event per user', async () => {
    const ids = [await insertTestUser(), await insertTestUser(), await insertTestUser()].map((u) => u.id);
    const bystander = await insertTestUser({ status: 'disabled' });
    // The first code stored collides: just before it is inserted, the bystander's row takes its lookup.
    // The COPY and the run's transaction fail; the sequence (outside the transaction) keeps counting.
    await withPlantedCollision(bystander.id, async (rowsSeen) => {
      expect(await generateCodesForNewUsers(ADMIN, TEST_CLIENT)).toBe(3);
      expect(await rowsSeen()).toBeGreaterThan(3);
    });
    const rows = await codesOf(ids);
    expect(rows.map((r) => r.userId).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.lookup)).size).toBe(3);
    expect(await generatedEvents(ids)).toHaveLength(3);
    // The planted row went with the failed attempt.
    expect(await codesOf([bystander.id])).toHaveLength(0);
    expect(await countUsersWithoutCodes()).toBe(0);
  });

  it('works in batches over more users than one batch, and two runs at once still give one code each', async () => {
    const ids = await insertManyTestUsers(2_500);
    expect(await countUsersWithoutCodes()).toBe(2_500);
    const [a, b] = await Promise.all([generateCodesForNewUsers(ADMIN, TEST_CLIENT), generateCodesForNewUsers(ADMIN, TEST_CLIENT)]);
    expect(a + b).toBe(2_500);
    const perUser = await getDb()
      .select({ userId: rc.userId, n: count() })
      .from(rc)
      .where(inArray(rc.userId, ids))
      .groupBy(rc.userId);
    expect(perUser).toHaveLength(2_500);
    expect(perUser.every((r) => r.n === 1)).toBe(true);
    expect(await generatedEvents(ids)).toHaveLength(2_500);
    expect(await countUsersWithoutCodes()).toBe(0);
  });
});
