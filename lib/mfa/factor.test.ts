import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { sha256Hex } from '@/lib/crypto';
import { getDb } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { insertTestUser } from '@/lib/testing/factories';
import {
  forgetTrustedBrowser,
  getMfaFactor,
  getMfaRequirement,
  getPhoneOnFile,
  isBrowserTrusted,
  listTrustedBrowsers,
  removeFactor,
  startChallenge,
  trustBrowser,
  trustedBrowserCookieOptions,
  validateSmsNumber,
} from '.';
import { freshMobile, insertEnrolledUser, insertTestSession, setTestSettings, TEST_CLIENT } from './testing';

const T0 = new Date('2030-05-06T10:00:15.000Z');
const DAY_MS = 86_400_000;

beforeEach(async () => {
  setClock(T0);
  await setTestSettings({ mfaPolicy: 'off', mfaRememberDays: 7, smsAllowedCountries: [], smsSendsPerIpPerHour: 10_000 });
});
afterEach(() => resetClock());

const actorOf = (userId: string) => ({ type: 'user' as const, id: userId, label: 'user' });
const eventsOf = (userId: string, subType: string) =>
  getDb().select().from(schema.events).where(and(eq(schema.events.subjectUserId, userId), eq(schema.events.subType, subType)));

describe('getMfaRequirement', () => {
  it.each([
    ['default', 'off', { required: false, reason: 'off' }],
    ['default', 'sms_required', { required: true, reason: 'policy' }],
    ['required', 'off', { required: true, reason: 'override' }],
    ['exempt', 'sms_required', { required: false, reason: 'exempt' }],
  ] as const)('override %s with policy %s → %o', async (mfaOverride, mfaPolicy, expected) => {
    await setTestSettings({ mfaPolicy });
    const user = await insertTestUser({ mfaOverride });
    expect(await getMfaRequirement(user.id)).toEqual(expected);
  });
});

describe('getMfaFactor', () => {
  it('shows none, verified with the masked number, and locked', async () => {
    const user = await insertTestUser();
    expect(await getMfaFactor(user.id)).toEqual({ state: 'none', maskedPhone: null, maskedPreviousPhone: null, verifiedAt: null, failureCount: 0, lockedAt: null });
    const { userId } = await insertEnrolledUser('+447400128750');
    expect(await getMfaFactor(userId)).toMatchObject({ state: 'verified', maskedPhone: '+44 •••• ••8750', verifiedAt: T0 });
    await getDb().update(schema.mfaFactors).set({ lockedAt: T0, failureCount: 100 }).where(eq(schema.mfaFactors.userId, userId));
    expect(await getMfaFactor(userId)).toMatchObject({ state: 'locked', failureCount: 100, lockedAt: T0 });
  });
});

describe('phone checks', () => {
  it('validateSmsNumber accepts mobiles and refuses invalid, landline and not-allowed numbers in plain words', async () => {
    expect(await validateSmsNumber('+447400123456')).toEqual({ ok: true });
    expect(await validateSmsNumber('+12025550123')).toEqual({ ok: true });
    expect(await validateSmsNumber('+4474')).toMatchObject({ ok: false, problem: 'invalid_number' });
    expect(await validateSmsNumber('+442079460000')).toMatchObject({ ok: false, problem: 'not_mobile' });
    await setTestSettings({ smsAllowedCountries: ['FR'] });
    expect(await validateSmsNumber('+447400123456')).toEqual({
      ok: false,
      problem: 'country_not_allowed',
      message: 'Text messages can’t be sent to United Kingdom (+44): your administrator allows SMS only to the listed countries (France).',
    });
    expect(await validateSmsNumber('+33612345678')).toEqual({ ok: true });
  });

  it('getPhoneOnFile gives the number, whether it comes from the directory, and why it cannot get SMS', async () => {
    const ok = await insertTestUser({ phoneE164: '+447400123456', phoneRaw: '+44 7400 123456', phoneStatus: 'ok', source: 'directory' });
    expect(await getPhoneOnFile(ok.id)).toEqual({ e164: '+447400123456', raw: '+44 7400 123456', fromDirectory: true, problem: null });
    const noCountry = await insertTestUser({ phoneRaw: '07400 123456', phoneStatus: 'missing_country_code', source: 'directory' });
    expect(await getPhoneOnFile(noCountry.id)).toMatchObject({ e164: null, raw: '07400 123456', fromDirectory: true, problem: expect.stringMatching(/no country code/) });
    const landline = await insertTestUser({ phoneE164: '+442079460000', phoneRaw: '+44 20 7946 0000', phoneStatus: 'ok' });
    expect(await getPhoneOnFile(landline.id)).toMatchObject({ e164: '+442079460000', fromDirectory: false, problem: expect.stringMatching(/landline/) });
    await setTestSettings({ smsAllowedCountries: ['US'] });
    expect(await getPhoneOnFile(ok.id)).toMatchObject({ problem: expect.stringMatching(/United Kingdom/) });
  });
});

describe('trusted browsers', () => {
  it('trusts nothing when the setting is 0', async () => {
    await setTestSettings({ mfaRememberDays: 0 });
    const user = await insertTestUser();
    expect(await trustBrowser(user.id, TEST_CLIENT)).toBeNull();
  });

  it('stores only the token hash, trusts it for the user until it expires, and notes its use', async () => {
    const user = await insertTestUser();
    const trusted = await trustBrowser(user.id, TEST_CLIENT);
    expect(trusted!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(trusted!.expiresAt).toEqual(new Date(T0.getTime() + 7 * DAY_MS));
    const [row] = await getDb().select().from(schema.trustedBrowsers).where(eq(schema.trustedBrowsers.userId, user.id));
    expect(row).toMatchObject({ tokenHash: sha256Hex(trusted!.token), userAgent: 'vitest', ip: TEST_CLIENT.ip, lastUsedAt: null });
    const [event] = await eventsOf(user.id, 'Trusted Device Added');
    expect(JSON.stringify(event)).not.toContain(trusted!.token);

    advanceClock(60_000);
    expect(await isBrowserTrusted(user.id, trusted!.token)).toBe(true);
    const [used] = await getDb().select().from(schema.trustedBrowsers).where(eq(schema.trustedBrowsers.userId, user.id));
    expect(used!.lastUsedAt).toEqual(new Date(T0.getTime() + 60_000));

    const other = await insertTestUser();
    expect(await isBrowserTrusted(other.id, trusted!.token)).toBe(false);
    const last = trusted!.token.slice(-1);
    expect(await isBrowserTrusted(user.id, `${trusted!.token.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`)).toBe(false);
    expect(await isBrowserTrusted(user.id, undefined)).toBe(false);

    setClock(new Date(T0.getTime() + 7 * DAY_MS - 1));
    expect(await isBrowserTrusted(user.id, trusted!.token)).toBe(true);
    setClock(new Date(T0.getTime() + 7 * DAY_MS));
    expect(await isBrowserTrusted(user.id, trusted!.token)).toBe(false);
  });

  it('stops trusting when the setting is lowered below the browser’s age, or set to 0', async () => {
    const user = await insertTestUser();
    const trusted = await trustBrowser(user.id, TEST_CLIENT);
    advanceClock(3 * DAY_MS);
    await setTestSettings({ mfaRememberDays: 2 });
    expect(await isBrowserTrusted(user.id, trusted!.token)).toBe(false);
    await setTestSettings({ mfaRememberDays: 0 });
    expect(await isBrowserTrusted(user.id, trusted!.token)).toBe(false);
    await setTestSettings({ mfaRememberDays: 7 });
    expect(await isBrowserTrusted(user.id, trusted!.token)).toBe(true);
  });

  it('lists the live browsers with the current one marked, and forgets one with an event', async () => {
    const user = await insertTestUser();
    const first = await trustBrowser(user.id, TEST_CLIENT);
    advanceClock(1_000);
    const second = await trustBrowser(user.id, { ip: '192.0.2.9', userAgent: 'Firefox' });
    const list = await listTrustedBrowsers(user.id, second!.token);
    expect(list.map((b) => [b.userAgent, b.current])).toEqual([
      ['Firefox', true],
      ['vitest', false],
    ]);
    expect(JSON.stringify(list)).not.toContain(sha256Hex(first!.token));

    const other = await insertTestUser();
    expect(await forgetTrustedBrowser(other.id, list[1]!.id, actorOf(other.id), TEST_CLIENT)).toBe(false);
    expect(await forgetTrustedBrowser(user.id, 'not-a-uuid', actorOf(user.id), TEST_CLIENT)).toBe(false);
    expect(await forgetTrustedBrowser(user.id, list[1]!.id, actorOf(user.id), TEST_CLIENT)).toBe(true);
    expect(await forgetTrustedBrowser(user.id, list[1]!.id, actorOf(user.id), TEST_CLIENT)).toBe(false);
    expect(await isBrowserTrusted(user.id, first!.token)).toBe(false);
    expect(await isBrowserTrusted(user.id, second!.token)).toBe(true);
    expect(await listTrustedBrowsers(user.id)).toHaveLength(1);
    expect(await eventsOf(user.id, 'Trusted Device Forgotten')).toHaveLength(1);
  });

  it('gives cookie options that are Secure only over https', () => {
    const saved = process.env.APP_URL;
    try {
      expect(trustedBrowserCookieOptions(T0)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: false, expires: T0 });
      process.env.APP_URL = 'https://vpn.example.com';
      resetEnvCache();
      expect(trustedBrowserCookieOptions(T0).secure).toBe(true);
    } finally {
      process.env.APP_URL = saved;
      resetEnvCache();
    }
  });
});

describe('removeFactor', () => {
  it('is refused while MFA is required for the user', async () => {
    await setTestSettings({ mfaPolicy: 'sms_required' });
    const { userId } = await insertEnrolledUser();
    expect(await removeFactor(userId, actorOf(userId), TEST_CLIENT)).toEqual({ ok: false, message: expect.stringMatching(/required/) });
    expect(await getMfaFactor(userId)).toMatchObject({ state: 'verified' });
  });

  it('removes the number, keeps it as previous, revokes trusted browsers; set up again without a number uses it', async () => {
    const phone = freshMobile();
    const { userId } = await insertEnrolledUser(phone);
    const trusted = await trustBrowser(userId, TEST_CLIENT);
    expect(await removeFactor(userId, actorOf(userId), TEST_CLIENT)).toEqual({ ok: true });
    expect(await getMfaFactor(userId)).toMatchObject({ state: 'none', maskedPhone: null, maskedPreviousPhone: expect.stringContaining(phone.slice(-4)) });
    expect(await isBrowserTrusted(userId, trusted!.token)).toBe(false);
    const [event] = await eventsOf(userId, 'Factor Removed');
    expect(event!.details).toMatchObject({ trustedBrowsersRevoked: 1 });
    expect(await removeFactor(userId, actorOf(userId), TEST_CLIENT)).toMatchObject({ ok: false });

    const sessionId = await insertTestSession(userId);
    const sent = await startChallenge({ userId, sessionId, purpose: 'enrol', client: TEST_CLIENT });
    expect(sent).toMatchObject({ ok: true });
    const [challenge] = await getDb().select().from(schema.mfaChallenges).where(eq(schema.mfaChallenges.sessionId, sessionId));
    expect(challenge!.phoneE164).toBe(phone);
  });
});
