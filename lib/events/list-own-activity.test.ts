import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { verifySignIn } from '@/lib/auth/sign-in';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { revokeDevice } from '@/lib/devices/revoke-device';
import { removeFactor, resetMfa, startChallenge, verifyChallenge } from '@/lib/mfa';
import { forgetTrustedBrowser, trustBrowser } from '@/lib/mfa/trusted-browsers';
import { freshMobile, insertEnrolledUser, insertTestSession, lastCodeSentTo, setTestSettings, wrongCode } from '@/lib/mfa/testing';
import { hashPassword } from '@/lib/passwords';
import { changePassword } from '@/lib/password-reset/change-password';
import { redeemCode } from '@/lib/registration-codes';
import { generateTestCode } from '@/lib/registration-codes/testing';
import type { ClientInfo } from '@/lib/request';
import { insertTestAdmin, insertTestUser } from '@/lib/testing/factories';
import { EVENT, writeEvents, type Actor } from '.';
import { listOwnActivity, OWN_ACTIVITY_DEFAULT_LIMIT, OWN_ACTIVITY_MAX_LIMIT, type OwnActivityDto } from './list-own-activity';

const PASSWORD = 'Marmalade-Lighthouse-42';
const NEW_PASSWORD = 'Quiet-Harbour-Evening-77';
const CHROME_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const T0 = new Date('2031-02-03T09:00:00.000Z');

let passwordHash: string;
let ipCounter = 0;
/** A fresh IP per call, so no test meets another's per-IP limits. */
function client(userAgent: string | null = CHROME_ON_WINDOWS): ClientInfo {
  ipCounter += 1;
  return { ip: `198.51.100.${ipCounter}`, userAgent };
}

const userActor = (user: { id: string; email: string }): Actor => ({ type: 'user', id: user.id, label: user.email });

async function newAdmin() {
  const admin = await insertTestAdmin();
  return { admin, actor: { type: 'admin', id: admin.id, label: admin.email } satisfies Actor };
}

const summaries = (items: OwnActivityDto[]) => items.map((i) => i.summary);

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});
beforeEach(async () => {
  setClock(T0);
  await setTestSettings({ smsAllowedCountries: [], smsSendsPerIpPerHour: 10_000, mfaFailuresPerIpPerHour: 10_000, mfaRememberDays: 30 });
});
afterEach(() => resetClock());

describe("a user's own activity", () => {
  it('lists their sign-ins, failed and successful, newest first, with the IP and a browser description', async () => {
    const user = await insertTestUser({ passwordHash });
    const wrong = client(FIREFOX_ON_LINUX);
    await expect(verifySignIn('user', user.email, 'not my password', wrong)).rejects.toMatchObject({ code: 'invalid' });
    advanceClock(60_000);
    const right = client(CHROME_ON_WINDOWS);
    await verifySignIn('user', user.username, PASSWORD, right);

    const items = await listOwnActivity(user.id);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        occurredAt: new Date(T0.getTime() + 60_000),
        summary: 'Signed in',
        outcome: 'success',
        ip: right.ip,
        browser: 'Chrome on Windows',
        by: 'you',
        byLabel: 'You',
      },
      {
        id: expect.any(Number),
        occurredAt: T0,
        summary: 'Sign-in failed: wrong password',
        outcome: 'failure',
        ip: wrong.ip,
        browser: 'Firefox on Linux',
        by: 'unconfirmed',
        byLabel: 'Not confirmed: you or someone else',
      },
    ]);
  });

  it("never shows another user's events, nor a failed sign-in with a name that matches nobody", async () => {
    const me = await insertTestUser({ passwordHash });
    const other = await insertTestUser({ passwordHash });
    await verifySignIn('user', other.email, PASSWORD, client());
    await expect(verifySignIn('user', other.email, 'wrong', client())).rejects.toMatchObject({ code: 'invalid' });
    await expect(verifySignIn('user', 'nobody@example.com', 'wrong', client())).rejects.toMatchObject({ code: 'invalid' });
    const { actor } = await newAdmin();
    await resetMfa(other.id, actor, client());
    await verifySignIn('user', me.email, PASSWORD, client());

    const mine = await listOwnActivity(me.id);
    expect(summaries(mine)).toEqual(['Signed in']);
    expect(summaries(await listOwnActivity(other.id))).toEqual([
      'Two-factor authentication reset: it is set up again at the next sign-in',
      'Sign-in failed: wrong password',
      'Signed in',
    ]);
  });

  it('says "An administrator" for an admin’s change, without their email, IP or browser', async () => {
    const user = await insertTestUser();
    const { admin, actor } = await newAdmin();
    const phone = freshMobile();
    await getDb().insert(schema.mfaFactors).values({ userId: user.id, phoneE164: phone, verifiedAt: T0 });
    await resetMfa(user.id, actor, { ip: '192.0.2.200', userAgent: FIREFOX_ON_LINUX });

    const items = await listOwnActivity(user.id);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        occurredAt: T0,
        summary: 'Two-factor authentication reset: it is set up again at the next sign-in',
        outcome: 'success',
        ip: null,
        browser: null,
        by: 'administrator',
        byLabel: 'An administrator',
      },
    ]);
    const shown = JSON.stringify(items).toLowerCase();
    for (const secret of [admin.email.toLowerCase(), admin.id, '192.0.2.200', 'firefox', phone.slice(1, -4)]) expect(shown).not.toContain(secret);
  });

  it('masks phone numbers to their last four digits and leaves out code traffic', async () => {
    const { user, userId, sessionId, phone } = await insertEnrolledUser();
    const newPhone = freshMobile();
    const c = client();
    const sent = await startChallenge({ userId, sessionId, purpose: 'change_phone', phoneE164: newPhone, client: c });
    expect(sent.ok).toBe(true);
    advanceClock(1_000);
    expect(await verifyChallenge({ userId, sessionId, purpose: 'change_phone', code: (await lastCodeSentTo(newPhone))!, client: c })).toMatchObject({
      ok: true,
    });
    advanceClock(1_000);
    const signInSession = await insertTestSession(userId);
    expect((await startChallenge({ userId, sessionId: signInSession, purpose: 'sign_in', client: c })).ok).toBe(true);
    const signInCode = (await lastCodeSentTo(newPhone))!;
    const verifySignInCode = (code: string) => verifyChallenge({ userId, sessionId: signInSession, purpose: 'sign_in', code, client: c });
    expect(await verifySignInCode(wrongCode(signInCode))).toMatchObject({ ok: false, problem: 'wrong_code' });
    expect(await verifySignInCode(signInCode)).toMatchObject({ ok: true });
    advanceClock(1_000);
    expect(await removeFactor(userId, userActor(user), c)).toEqual({ ok: true });

    const items = await listOwnActivity(userId);
    expect(summaries(items)).toEqual([
      `Two-factor authentication removed from phone number •••• ${newPhone.slice(-4)}`,
      'Signed in with a text message code',
      `Phone number changed to •••• ${newPhone.slice(-4)}`,
    ]);
    const shown = JSON.stringify(items);
    for (const number of [phone, newPhone]) {
      expect(shown).not.toContain(number.slice(1));
      expect(shown).not.toContain(number.slice(3, -4));
    }
    const written = await getDb().select({ subType: schema.events.subType }).from(schema.events).where(eq(schema.events.subjectUserId, userId));
    expect(written.map((w) => w.subType)).toEqual(expect.arrayContaining(['Challenge Sent', 'Challenge Failed', 'Challenge Passed']));
  });

  it('masks a number even if an event held it in full, and never more than four digits', async () => {
    const user = await insertTestUser();
    await writeEvents(getDb(), [
      { kind: EVENT.mfaEnrolled, actor: userActor(user), subjectUserId: user.id, details: { maskedPhone: '+447700900123' } },
      { kind: EVENT.mfaPhoneChanged, actor: userActor(user), subjectUserId: user.id, details: { maskedPhone: '12' } },
    ]);
    expect(summaries(await listOwnActivity(user.id))).toEqual(['Phone number changed', 'Two-factor authentication set up with phone number •••• 0123']);
  });

  it('shows password, remembered-browser and device events in plain words', async () => {
    const user = await insertTestUser({ passwordHash });
    const c = client(CHROME_ON_WINDOWS);
    const code = await generateTestCode(user.id);
    const registered = await redeemCode({ code: code.code, device: { name: 'Work laptop', platform: 'windows' } }, client('OnrampClient/1.0 (Windows NT 10.0)'));
    expect(registered.ok).toBe(true);
    advanceClock(1_000);
    expect(await revokeDevice(registered.ok ? registered.deviceId : '', userActor(user), c)).toEqual({ ok: true });
    advanceClock(1_000);
    expect(await trustBrowser(user.id, c)).not.toBeNull();
    advanceClock(1_000);
    const [browser] = await getDb().select().from(schema.trustedBrowsers).where(eq(schema.trustedBrowsers.userId, user.id));
    expect(await forgetTrustedBrowser(user.id, browser!.id, userActor(user), client(FIREFOX_ON_LINUX))).toBe(true);
    advanceClock(1_000);
    expect(await changePassword(user.id, { currentPassword: PASSWORD, password: NEW_PASSWORD }, c)).toEqual({ ok: true });

    const items = await listOwnActivity(user.id);
    expect(items.map((i) => [i.summary, i.browser, i.byLabel])).toEqual([
      ['Password changed', 'Chrome on Windows', 'You'],
      ['Remembered browser forgotten: Chrome on Windows', 'Firefox on Linux', 'You'],
      ['Browser remembered: it can sign in without a text message code', 'Chrome on Windows', 'You'],
      ['Device revoked: Work laptop (Windows)', 'Chrome on Windows', 'You'],
      ['Device registered: Work laptop (Windows)', 'Unknown browser on Windows', 'A device, with your registration code'],
    ]);
  });

  it('orders by time, then by the order of writing, newest first', async () => {
    const user = await insertTestUser();
    const actor = userActor(user);
    const event = (name: string) => ({ kind: EVENT.deviceRevoked, actor, subjectUserId: user.id, details: { name, platform: 'linux' } });
    await writeEvents(getDb(), [event('first'), event('second')]);
    setClock(new Date(T0.getTime() - 3_600_000));
    await writeEvents(getDb(), [event('an hour earlier')]);
    setClock(new Date(T0.getTime() + 5_000));
    await writeEvents(getDb(), [event('latest')]);

    const items = await listOwnActivity(user.id);
    expect(summaries(items)).toEqual([
      'Device revoked: latest (Linux)',
      'Device revoked: second (Linux)',
      'Device revoked: first (Linux)',
      'Device revoked: an hour earlier (Linux)',
    ]);
    expect(items.map((i) => i.occurredAt.getTime())).toEqual([T0.getTime() + 5_000, T0.getTime(), T0.getTime(), T0.getTime() - 3_600_000]);
  });

  it('returns at most `limit` items (50 by default, never more than 200), counting only shown kinds', async () => {
    const user = await insertTestUser();
    const actor = userActor(user);
    const many = Array.from({ length: 250 }, (_, i) => ({
      kind: EVENT.deviceRevoked,
      actor,
      subjectUserId: user.id,
      details: { name: `device ${i}`, platform: 'ios' },
    }));
    await writeEvents(getDb(), many);
    advanceClock(1_000);
    const hidden = Array.from({ length: 10 }, () => ({ kind: EVENT.mfaChallengeSent, actor, subjectUserId: user.id, details: { purpose: 'sign_in' } }));
    await writeEvents(getDb(), [...hidden, { kind: EVENT.signOut, actor, subjectUserId: user.id }, { kind: EVENT.userUpdated, actor, subjectUserId: user.id }]);

    const three = await listOwnActivity(user.id, { limit: 3 });
    expect(summaries(three)).toEqual(['Device revoked: device 249 (iOS)', 'Device revoked: device 248 (iOS)', 'Device revoked: device 247 (iOS)']);
    expect(await listOwnActivity(user.id)).toHaveLength(OWN_ACTIVITY_DEFAULT_LIMIT);
    expect(await listOwnActivity(user.id, { limit: 10_000 })).toHaveLength(OWN_ACTIVITY_MAX_LIMIT);
    expect(await listOwnActivity(user.id, { limit: 0 })).toHaveLength(1);
    expect(await listOwnActivity(user.id, { limit: Number.NaN })).toHaveLength(OWN_ACTIVITY_DEFAULT_LIMIT);
  });

  it('reads unexpected detail values plainly, never as something inherited', async () => {
    const user = await insertTestUser();
    const anonymous: Actor = { type: 'anonymous', label: user.email };
    await writeEvents(getDb(), [
      { kind: EVENT.userSignIn, actor: anonymous, outcome: 'failure', subjectUserId: user.id, details: { reason: 'toString' } },
      { kind: EVENT.passwordResetRequested, actor: anonymous, subjectUserId: user.id, details: { result: '__proto__' } },
      { kind: EVENT.deviceRevoked, actor: userActor(user), subjectUserId: user.id, details: { name: 'Phone', platform: 'constructor' } },
    ]);
    expect(summaries(await listOwnActivity(user.id))).toEqual(['Device revoked: Phone', 'Password reset requested', 'Sign-in failed']);
  });

  it('is empty for a user with no activity', async () => {
    const user = await insertTestUser();
    expect(await listOwnActivity(user.id)).toEqual([]);
  });
});
