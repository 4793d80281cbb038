import { desc, eq, isNotNull } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { addSeconds, now, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { resetMfa } from './admin-reset-mfa';
import { getAdminMfaState } from './admin-mfa-state';
import { countUsersSharingNumber, listOtherUsersWithNumber, listSharedNumbers } from './admin-shared-numbers';
import { listRecentSmsFailures, SMS_FAILURES_PAGE_SIZE } from './admin-sms-failures';
import { listUserSmsMessages } from './admin-sms-log';
import { unlockMfa } from './admin-unlock-mfa';

const actor = { type: 'admin' as const, id: '00000000-0000-4000-8000-000000000001', label: 'admin@example.com' };
const client = { ip: '203.0.113.5', userAgent: 'vitest' };
const db = () => getDb();
const eventsAbout = (userId: string) => db().select().from(schema.events).where(eq(schema.events.subjectUserId, userId)).orderBy(desc(schema.events.id));

type SmsRow = typeof schema.smsMessages.$inferInsert;
const sms = (userId: string | null, values: Partial<SmsRow> & { minutesAgo?: number }) => {
  const { minutesAgo = 0, ...rest } = values;
  const at = addSeconds(now(), -minutesAgo * 60);
  return { userId, purpose: 'mfa_code', toE164: '+447400123456', transport: 'twilio', status: 'delivered' as const, createdAt: at, updatedAt: at, ...rest };
};

afterEach(() => resetClock());

async function enrolledUser(overrides: Partial<typeof schema.mfaFactors.$inferInsert> = {}) {
  const user = await insertTestUser();
  await db()
    .insert(schema.mfaFactors)
    .values({ userId: user.id, phoneE164: '+447400128750', verifiedAt: now(), ...overrides });
  return user;
}

describe('resetMfa', () => {
  it('removes the factor, revokes trusted browsers and invalidates open challenges in one go, with an MFA Reset event', async () => {
    const user = await enrolledUser({ failureCount: 7 });
    const other = await enrolledUser();
    const inAnHour = addSeconds(now(), 3600);
    await db()
      .insert(schema.trustedBrowsers)
      .values([
        { userId: user.id, tokenHash: `a-${user.id}`, expiresAt: inAnHour },
        { userId: user.id, tokenHash: `b-${user.id}`, expiresAt: inAnHour },
        { userId: other.id, tokenHash: `c-${other.id}`, expiresAt: inAnHour },
      ]);
    const challenge = (userId: string, consumedAt: Date | null = null) => ({
      userId,
      purpose: 'sign_in' as const,
      phoneE164: '+447400128750',
      codeHash: 'x',
      expiresAt: inAnHour,
      consumedAt,
    });
    const [open, used, othersOpen] = await db()
      .insert(schema.mfaChallenges)
      .values([challenge(user.id), challenge(user.id, now()), challenge(other.id)])
      .returning();

    expect(await resetMfa(user.id, actor, client)).toEqual({ factorRemoved: true, trustedBrowsersRevoked: 2, challengesInvalidated: 1 });

    expect(await getAdminMfaState(user.id)).toMatchObject({ state: 'none', phoneE164: null, failureCount: 0, trustedBrowsers: 0 });
    const challenges = await db().select().from(schema.mfaChallenges);
    const byId = (id: string) => challenges.find((c) => c.id === id)!;
    expect(byId(open!.id).invalidatedAt).not.toBeNull();
    expect(byId(used!.id).invalidatedAt).toBeNull();
    expect(byId(othersOpen!.id).invalidatedAt).toBeNull();
    expect(await getAdminMfaState(other.id)).toMatchObject({ state: 'verified', phoneE164: '+447400128750', trustedBrowsers: 1 });

    const [event] = await eventsAbout(user.id);
    expect(event).toMatchObject({
      type: 'MFA',
      subType: 'Reset by Admin',
      actorLabel: 'admin@example.com',
      ip: '203.0.113.5',
      details: { factorRemoved: true, trustedBrowsersRevoked: 2, challengesInvalidated: 1, maskedPhone: '+44 •••• ••8750' },
    });
  });

  it('also clears a lock (the user sets the factor up again)', async () => {
    const user = await enrolledUser({ lockedAt: now(), failureCount: 100 });
    await resetMfa(user.id, actor, client);
    expect(await getAdminMfaState(user.id)).toMatchObject({ state: 'none', lockedAt: null, failureCount: 0 });
  });
});

describe('unlockMfa', () => {
  it('clears the lock and the failure count with an MFA Unlocked event', async () => {
    const lockedAt = now();
    const user = await enrolledUser({ lockedAt, failureCount: 100 });
    expect(await getAdminMfaState(user.id)).toMatchObject({ state: 'locked', failureCount: 100 });
    expect(await unlockMfa(user.id, actor, client)).toEqual({ ok: true });
    expect(await getAdminMfaState(user.id)).toMatchObject({ state: 'verified', phoneE164: '+447400128750', lockedAt: null, failureCount: 0 });
    const [event] = await eventsAbout(user.id);
    expect(event).toMatchObject({ type: 'MFA', subType: 'Unlocked', details: { failureCount: 100, lockedAt: lockedAt.toISOString() } });
  });

  it('refuses when the factor is not locked (or there is none), writing nothing', async () => {
    const enrolled = await enrolledUser({ failureCount: 3 });
    const none = await insertTestUser();
    for (const user of [enrolled, none]) {
      expect(await unlockMfa(user.id, actor, client)).toEqual({ ok: false, message: "This user's two-factor authentication is not locked." });
      expect(await eventsAbout(user.id)).toEqual([]);
    }
    expect((await getAdminMfaState(enrolled.id)).failureCount).toBe(3);
  });
});

describe('listUserSmsMessages', () => {
  it("lists the user's messages newest first with the Twilio error in plain words, bounded by the limit", async () => {
    const user = await insertTestUser();
    const other = await insertTestUser();
    await db()
      .insert(schema.smsMessages)
      .values([
        sms(user.id, { minutesAgo: 30, status: 'delivered' }),
        sms(user.id, { minutesAgo: 20, status: 'failed', errorCode: 21211, toE164: '+15005550001' }),
        sms(user.id, { minutesAgo: 10, status: 'refused', errorMessage: 'SMS to this country is not allowed.' }),
        sms(user.id, { minutesAgo: 5, status: 'undelivered', errorCode: 39999 }),
        sms(other.id, { status: 'failed', errorCode: 30003 }),
      ]);
    const log = await listUserSmsMessages(user.id);
    expect(log.map((m) => [m.status, m.problem])).toEqual([
      ['undelivered', 'Twilio error 39999'],
      ['refused', 'SMS to this country is not allowed.'],
      ['failed', '21211: the number is not a valid phone number'],
      ['delivered', null],
    ]);
    expect(log[2]).toMatchObject({ to: '+15005550001', errorCode: 21211, purpose: 'mfa_code' });
    expect(Object.keys(log[0]!).sort()).toEqual(['createdAt', 'errorCode', 'id', 'problem', 'purpose', 'status', 'to', 'updatedAt']);
    expect(await listUserSmsMessages(user.id, 2)).toHaveLength(2);
  });
});

describe('listRecentSmsFailures', () => {
  it('lists users whose SMS failed in the last 7 days, one row per user with the latest failure, newest first, by pages', async () => {
    setClock(new Date('2031-03-01T12:00:00Z'));
    const [a, b, old] = [await insertTestUser({ email: 'a.fail@example.com' }), await insertTestUser(), await insertTestUser()];
    await db()
      .insert(schema.smsMessages)
      .values([
        sms(a.id, { minutesAgo: 60, status: 'failed', errorCode: 21211 }),
        sms(a.id, { minutesAgo: 30, status: 'undelivered', errorCode: 30003 }),
        sms(a.id, { minutesAgo: 10, status: 'delivered' }),
        sms(b.id, { minutesAgo: 5, status: 'refused', errorMessage: 'SMS to this country is not allowed.' }),
        sms(old.id, { minutesAgo: 7 * 24 * 60 + 1, status: 'failed', errorCode: 30005 }),
        sms(null, { status: 'failed', errorCode: 30005 }),
      ]);
    const first = await listRecentSmsFailures();
    expect(first).toMatchObject({ total: 2, page: 1, pageCount: 1 });
    expect(first.rows.map((r) => [r.user.id, r.latest.status, r.latest.problem, r.failures])).toEqual([
      [b.id, 'refused', 'SMS to this country is not allowed.', 1],
      [a.id, 'undelivered', '30003: the phone is unreachable (switched off or out of coverage)', 2],
    ]);
    expect(first.rows[1]!.user).toEqual({ id: a.id, email: 'a.fail@example.com', name: 'Ada Lovelace' });
    expect((await listRecentSmsFailures({ days: 8 })).total).toBe(3);

    // More users than one page holds: pages are bounded; a page past the end shows the last one.
    const many = await Promise.all(Array.from({ length: SMS_FAILURES_PAGE_SIZE }, () => insertTestUser()));
    await db()
      .insert(schema.smsMessages)
      .values(many.map((u, i) => sms(u.id, { minutesAgo: 100 + i, status: 'failed', errorCode: 21408 })));
    const page1 = await listRecentSmsFailures({ page: 1 });
    expect(page1).toMatchObject({ total: SMS_FAILURES_PAGE_SIZE + 2, pageCount: 2 });
    expect(page1.rows).toHaveLength(SMS_FAILURES_PAGE_SIZE);
    const page2 = await listRecentSmsFailures({ page: 9 });
    expect(page2.page).toBe(2);
    expect(page2.rows.map((r) => r.user.id)).toEqual(many.slice(-2).map((u) => u.id));
  });
});

describe('shared numbers', () => {
  it('finds numbers several users have (verified factor or number on file), most shared first, bounded', async () => {
    // Earlier tests' factors share one number: this test starts without them.
    await db().update(schema.mfaFactors).set({ phoneE164: null }).where(isNotNull(schema.mfaFactors.phoneE164));
    const shared = '+447700900111';
    const pair = '+447700900222';
    const u1 = await insertTestUser({ phoneE164: shared, phoneStatus: 'ok', email: 'b.shared@example.com' });
    const u2 = await insertTestUser({ email: 'a.shared@example.com' });
    await db().insert(schema.mfaFactors).values({ userId: u2.id, phoneE164: shared, verifiedAt: now() });
    const u3 = await insertTestUser({ phoneE164: shared, phoneStatus: 'ok', email: 'c.shared@example.com' });
    // The same user with the number both on file and as factor counts once.
    await db().insert(schema.mfaFactors).values({ userId: u3.id, phoneE164: shared, verifiedAt: now() });
    const p1 = await insertTestUser({ phoneE164: pair, phoneStatus: 'ok' });
    const p2 = await insertTestUser({ phoneE164: pair, phoneStatus: 'ok' });
    await insertTestUser({ phoneE164: '+447700900333', phoneStatus: 'ok' });

    const numbers = await listSharedNumbers();
    expect(numbers.map((n) => [n.e164, n.userCount])).toEqual([
      [shared, 3],
      [pair, 2],
    ]);
    expect(numbers[0]!.users.map((u) => u.email)).toEqual(['a.shared@example.com', 'b.shared@example.com', 'c.shared@example.com']);
    expect(numbers[1]!.users.map((u) => u.id).sort()).toEqual([p1.id, p2.id].sort());
    expect(await listSharedNumbers({ limit: 1, usersPerNumber: 2 })).toEqual([{ e164: shared, userCount: 3, users: expect.any(Array) }]);
    expect((await listSharedNumbers({ limit: 1, usersPerNumber: 2 }))[0]!.users).toHaveLength(2);

    expect(await countUsersSharingNumber(shared)).toBe(3);
    expect(await countUsersSharingNumber('+447700900333')).toBe(1);
    expect(await countUsersSharingNumber('+447700900999')).toBe(0);
    const others = await listOtherUsersWithNumber(shared, u1.id);
    expect(others.total).toBe(2);
    expect(others.users.map((u) => u.email)).toEqual(['a.shared@example.com', 'c.shared@example.com']);
    expect(await listOtherUsersWithNumber(shared, u1.id, 1)).toMatchObject({ total: 2, users: [expect.objectContaining({ email: 'a.shared@example.com' })] });
  });
});
