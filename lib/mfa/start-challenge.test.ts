import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { resetSmsTransport } from '@/lib/sms';
import { insertTestUser } from '@/lib/testing/factories';
import { startTwilioStandIn, TWILIO_ERRORS, type TwilioStandIn } from '@/lib/testing/twilio-stand-in';
import { CODE_TTL_SECONDS, RESEND_COOLDOWN_SECONDS, startChallenge, type StartChallengeResult } from '.';
import {
  freshClient,
  freshMobile,
  insertEnrolledUser,
  insertTestSession,
  lastCodeSentTo,
  setTestSettings,
  TEST_CLIENT,
} from './testing';

// 15 seconds into an hour: the fixed per-IP window has 3,585 s left.
const T0 = new Date('2030-05-06T10:00:15.000Z');
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

beforeEach(async () => {
  setClock(T0);
  await setTestSettings({ smsAllowedCountries: [], smsSendsPerIpPerHour: 10_000, mfaFailuresPerIpPerHour: 10_000 });
});
afterEach(() => resetClock());

const smsRows = (userId: string) => getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.userId, userId));
const eventsOf = (userId: string, subType: string) =>
  getDb().select().from(schema.events).where(and(eq(schema.events.subjectUserId, userId), eq(schema.events.subType, subType)));
const challengesOf = (sessionId: string) => getDb().select().from(schema.mfaChallenges).where(eq(schema.mfaChallenges.sessionId, sessionId));

function expectSent(result: StartChallengeResult): asserts result is Extract<StartChallengeResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a code to be sent, got ${result.problem}: ${result.message}`);
}

describe('sending a code (dev transport)', () => {
  it('sends a 6-digit code to the verified number, stores only its HMAC, and records the SMS and an event', async () => {
    const { userId, sessionId, phone, user } = await insertEnrolledUser('+447400123456');
    const result = await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT });
    expectSent(result);
    expect(result.maskedPhone).toBe('+44 •••• ••3456');
    expect(result.expiresAt).toEqual(new Date(T0.getTime() + CODE_TTL_SECONDS * 1000));
    expect(result.resendAvailableAt).toEqual(new Date(T0.getTime() + RESEND_COOLDOWN_SECONDS * 1000));

    const code = await lastCodeSentTo(phone);
    expect(code).toMatch(/^\d{6}$/);
    const [challenge] = await challengesOf(sessionId);
    expect(challenge).toMatchObject({ id: result.challengeId, userId, purpose: 'sign_in', phoneE164: phone, attempts: 0, createdAt: T0 });
    expect(challenge!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge!.codeHash).not.toContain(code!);

    const [sms] = await smsRows(userId);
    expect(sms).toMatchObject({
      purpose: 'mfa_code',
      toE164: phone,
      transport: 'dev',
      status: 'dev_outbox',
      challengeId: result.challengeId,
      ip: TEST_CLIENT.ip,
      twilioSid: null,
      errorCode: null,
    });
    const [event] = await eventsOf(userId, 'Challenge Sent');
    expect(event).toMatchObject({ type: 'MFA', actorType: 'user', actorId: userId, actorLabel: user.email, ip: TEST_CLIENT.ip, outcome: 'success' });
    expect(event!.details).toMatchObject({ purpose: 'sign_in', maskedPhone: '+44 •••• ••3456', challengeId: result.challengeId });
    expect(JSON.stringify(event)).not.toContain(phone);
  });

  it('words the message as the API says', async () => {
    const { userId, sessionId, phone } = await insertEnrolledUser();
    expectSent(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT }));
    const [row] = await getDb().select().from(schema.outbox).where(eq(schema.outbox.recipient, phone));
    expect(row!.bodyText).toMatch(/^Your Onramp verification code is \d{6}\. It expires in 10 minutes\.$/);
  });

  it('refuses a resend within 30 seconds for the same session and purpose, then sends a new code and invalidates the old one', async () => {
    const { userId, sessionId, phone } = await insertEnrolledUser();
    const first = await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT });
    expectSent(first);
    advanceClock(29_001);
    expect(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT })).toEqual({
      ok: false,
      problem: 'cooldown',
      message: 'A code was just sent. You can ask for another one in 1 second.',
      retryAfterSeconds: 1,
    });
    advanceClock(999);
    const second = await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT });
    expectSent(second);
    const rows = await challengesOf(sessionId);
    expect(rows.find((r) => r.id === first.challengeId)!.invalidatedAt).toEqual(new Date(T0.getTime() + 30_000));
    expect(rows.find((r) => r.id === second.challengeId)!.invalidatedAt).toBeNull();
    expect((await smsRows(userId)).filter((r) => r.toE164 === phone)).toHaveLength(2);
  });

  it('keeps the cooldown per session and per purpose', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    expectSent(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT }));
    const otherSession = await insertTestSession(userId);
    expectSent(await startChallenge({ userId, sessionId: otherSession, purpose: 'sign_in', client: TEST_CLIENT }));
    expectSent(await startChallenge({ userId, sessionId, purpose: 'change_phone', phoneE164: freshMobile(), client: TEST_CLIENT }));
  });

  it('sends at most 5 codes per number per rolling hour, across users, and says when to retry', async () => {
    const phone = freshMobile();
    const first = await insertEnrolledUser(phone);
    const second = await insertEnrolledUser(phone);
    for (let i = 0; i < 5; i++) {
      const who = i % 2 === 0 ? first : second;
      expectSent(await startChallenge({ userId: who.userId, sessionId: await insertTestSession(who.userId), purpose: 'sign_in', client: freshClient() }));
      advanceClock(60_000);
    }
    // T0 + 5 min: the first send leaves the window at T0 + 60 min.
    expect(await startChallenge({ userId: first.userId, sessionId: first.sessionId, purpose: 'sign_in', client: freshClient() })).toEqual({
      ok: false,
      problem: 'phone_limit',
      message: 'Too many codes were sent to this number: at most 5 an hour. Try again in 55 minutes.',
      retryAfterSeconds: 55 * 60,
    });
    setClock(new Date(T0.getTime() + HOUR_MS - 1));
    expect(await startChallenge({ userId: first.userId, sessionId: first.sessionId, purpose: 'sign_in', client: freshClient() })).toMatchObject({
      problem: 'phone_limit',
      retryAfterSeconds: 1,
    });
    setClock(new Date(T0.getTime() + HOUR_MS));
    expectSent(await startChallenge({ userId: first.userId, sessionId: first.sessionId, purpose: 'sign_in', client: freshClient() }));
  });

  it('sends at most 10 codes per user per rolling day, whatever the numbers', async () => {
    const user = await insertTestUser();
    for (let i = 0; i < 10; i++) {
      const sessionId = await insertTestSession(user.id);
      expectSent(await startChallenge({ userId: user.id, sessionId, purpose: 'enrol', phoneE164: freshMobile(), client: freshClient() }));
      advanceClock(HOUR_MS);
    }
    // T0 + 10 h: the first send leaves the window at T0 + 24 h.
    const sessionId = await insertTestSession(user.id);
    expect(await startChallenge({ userId: user.id, sessionId, purpose: 'enrol', phoneE164: freshMobile(), client: freshClient() })).toEqual({
      ok: false,
      problem: 'user_limit',
      message: 'You have asked for too many codes today: at most 10 a day. Try again in 14 hours.',
      retryAfterSeconds: 14 * 3600,
    });
    setClock(new Date(T0.getTime() + DAY_MS));
    expectSent(await startChallenge({ userId: user.id, sessionId, purpose: 'enrol', phoneE164: freshMobile(), client: freshClient() }));
  });

  it('does not count refused sends against the number and user limits', async () => {
    const phone = freshMobile();
    const { userId } = await insertEnrolledUser(phone);
    await setTestSettings({ smsAllowedCountries: ['US'] });
    for (let i = 0; i < 6; i++) {
      const result = await startChallenge({ userId, sessionId: await insertTestSession(userId), purpose: 'sign_in', client: freshClient() });
      expect(result).toMatchObject({ ok: false, problem: 'country_not_allowed' });
    }
    await setTestSettings({ smsAllowedCountries: [] });
    expectSent(await startChallenge({ userId, sessionId: await insertTestSession(userId), purpose: 'sign_in', client: freshClient() }));
  });

  it('caps codes per IP per hour with settings.smsSendsPerIpPerHour', async () => {
    await setTestSettings({ smsSendsPerIpPerHour: 2 });
    const client = freshClient();
    for (let i = 0; i < 2; i++) {
      const { userId, sessionId } = await insertEnrolledUser();
      expectSent(await startChallenge({ userId, sessionId, purpose: 'sign_in', client }));
    }
    const { userId, sessionId } = await insertEnrolledUser();
    expect(await startChallenge({ userId, sessionId, purpose: 'sign_in', client })).toEqual({
      ok: false,
      problem: 'ip_limit',
      message: 'Too many codes were sent from your network in the last hour. Try again in 1 hour.',
      retryAfterSeconds: 3585,
    });
    expectSent(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: freshClient() }));
  });
});

describe('checking the number before sending', () => {
  it.each([
    ['+4474001', 'invalid_number', 'This is not a valid phone number for its country.'],
    ['07400123456', 'invalid_number', /no country code/],
    ['+442079460000', 'not_mobile', /landline/],
  ])('refuses %s (%s) without sending, and records the refusal', async (number, problem, message) => {
    const user = await insertTestUser();
    const sessionId = await insertTestSession(user.id);
    const result = await startChallenge({ userId: user.id, sessionId, purpose: 'enrol', phoneE164: number, client: TEST_CLIENT });
    expect(result).toMatchObject({ ok: false, problem, message: expect.stringMatching(message) });
    expect(await challengesOf(sessionId)).toEqual([]);
    expect(await smsRows(user.id)).toMatchObject([{ status: 'refused', purpose: 'mfa_code', toE164: number.trim() }]);
  });

  it('refuses a country outside the allow-list, naming it and the listed countries', async () => {
    await setTestSettings({ smsAllowedCountries: ['US', 'CA'] });
    const user = await insertTestUser();
    const sessionId = await insertTestSession(user.id);
    const phone = freshMobile();
    const result = await startChallenge({ userId: user.id, sessionId, purpose: 'enrol', phoneE164: phone, client: TEST_CLIENT });
    expect(result).toEqual({
      ok: false,
      problem: 'country_not_allowed',
      message:
        'Text messages can’t be sent to United Kingdom (+44): your administrator allows SMS only to the listed countries (United States, Canada).',
    });
    expect(await lastCodeSentTo(phone)).toBeUndefined();
    expectSent(await startChallenge({ userId: user.id, sessionId, purpose: 'enrol', phoneE164: '+12025550123', client: TEST_CLIENT }));
  });

  it('enrols without a number: the previously verified number first, else the number on file, else says there is none', async () => {
    const previous = freshMobile();
    const onFile = freshMobile();
    const user = await insertTestUser({ phoneE164: onFile, phoneStatus: 'ok', phoneRaw: onFile });
    await getDb().insert(schema.mfaFactors).values({ userId: user.id, previousPhoneE164: previous });
    const sessionId = await insertTestSession(user.id);
    expectSent(await startChallenge({ userId: user.id, sessionId, purpose: 'enrol', client: TEST_CLIENT }));
    expect((await challengesOf(sessionId))[0]!.phoneE164).toBe(previous);

    const second = await insertTestUser({ phoneE164: onFile, phoneStatus: 'ok', phoneRaw: onFile });
    const secondSession = await insertTestSession(second.id);
    expectSent(await startChallenge({ userId: second.id, sessionId: secondSession, purpose: 'enrol', client: TEST_CLIENT }));
    expect((await challengesOf(secondSession))[0]!.phoneE164).toBe(onFile);

    const none = await insertTestUser({ phoneRaw: '07400 123456', phoneStatus: 'missing_country_code' });
    expect(await startChallenge({ userId: none.id, sessionId: await insertTestSession(none.id), purpose: 'enrol', client: TEST_CLIENT })).toMatchObject({
      ok: false,
      problem: 'no_number',
    });
  });

  it('needs a number for a change, and a verified one for sign-in', async () => {
    const user = await insertTestUser();
    const sessionId = await insertTestSession(user.id);
    expect(await startChallenge({ userId: user.id, sessionId, purpose: 'change_phone', client: TEST_CLIENT })).toMatchObject({ problem: 'no_number' });
    expect(await startChallenge({ userId: user.id, sessionId, purpose: 'sign_in', client: TEST_CLIENT })).toMatchObject({ problem: 'no_number' });
  });

  it('sends nothing while the factor is locked', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    await getDb().update(schema.mfaFactors).set({ lockedAt: T0, failureCount: 100 }).where(eq(schema.mfaFactors.userId, userId));
    expect(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT })).toMatchObject({
      ok: false,
      problem: 'locked',
      message: expect.stringMatching(/administrator/),
    });
    expect(await smsRows(userId)).toEqual([]);
  });

  it('refuses a session that is not a live session of the user', async () => {
    const { userId } = await insertEnrolledUser();
    const other = await insertTestUser();
    const othersSession = await insertTestSession(other.id);
    await expect(startChallenge({ userId, sessionId: othersSession, purpose: 'sign_in', client: TEST_CLIENT })).rejects.toThrow(/session/);
    const revoked = await insertTestSession(userId, { revokedAt: T0 });
    await expect(startChallenge({ userId, sessionId: revoked, purpose: 'sign_in', client: TEST_CLIENT })).rejects.toThrow(/session/);
  });
});

describe('sending a code through Twilio (stand-in)', () => {
  const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
  const AUTH_TOKEN = 'test-auth-token-not-a-secret';
  const KEYS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_API_BASE_URL'] as const;
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  let twilio: TwilioStandIn;

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ authToken: AUTH_TOKEN });
    Object.assign(process.env, { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.baseUrl });
    resetEnvCache();
    resetSmsTransport();
  });
  afterAll(async () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetEnvCache();
    resetSmsTransport();
    await twilio.close();
  });

  it('posts the code with the status callback URL and records the sid and status', async () => {
    const { userId, sessionId, phone } = await insertEnrolledUser();
    expectSent(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT }));
    const request = twilio.requests.at(-1)!;
    expect(request.form).toMatchObject({ To: phone, From: '+15005550006', StatusCallback: 'http://localhost:3000/api/webhooks/twilio/status' });
    expect(request.form.Body).toMatch(/^Your Onramp verification code is \d{6}\./);
    expect(await smsRows(userId)).toMatchObject([{ transport: 'twilio', status: 'queued', twilioSid: request.sid, errorCode: null }]);
  });

  it.each([
    [TWILIO_ERRORS.invalidTo, /the number is not a valid phone number \(Twilio error 21211\)/],
    [TWILIO_ERRORS.regionNotEnabled, /not allowed to send SMS to this country \(region not enabled\) \(Twilio error 21408\)/],
    [TWILIO_ERRORS.unsubscribed, /opted out .*replied STOP.* \(Twilio error 21610\)/],
    [TWILIO_ERRORS.tooManyRequests, /busy right now/],
  ])('turns Twilio error %o into a clear result, a refused SMS row and an event', async (reply, words) => {
    const { userId, sessionId, phone } = await insertEnrolledUser();
    twilio.failNext(reply);
    const result = await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT });
    expect(result).toEqual({ ok: false, problem: 'send_failed', message: expect.stringMatching(words) });
    expect(await smsRows(userId)).toMatchObject([{ status: 'refused', errorCode: reply.code, errorMessage: reply.message, toE164: phone }]);
    const [event] = await eventsOf(userId, 'Send Failed');
    expect(event).toMatchObject({ type: 'SMS', outcome: 'failure' });
    expect(event!.details).toMatchObject({ errorCode: reply.code, purpose: 'mfa_code', problem: expect.stringContaining(String(reply.code)) });
    expect(await eventsOf(userId, 'Challenge Sent')).toEqual([]);
    const [challenge] = await challengesOf(sessionId);
    expect(challenge!.invalidatedAt).toEqual(T0);
    // A failed send starts no cooldown: the user can try again at once.
    expectSent(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT }));
  });

  it('says the service could not be reached when Twilio does not answer', async () => {
    const gone = await startTwilioStandIn();
    await gone.close();
    process.env.TWILIO_API_BASE_URL = gone.baseUrl;
    resetEnvCache();
    resetSmsTransport();
    try {
      const { userId, sessionId } = await insertEnrolledUser();
      expect(await startChallenge({ userId, sessionId, purpose: 'sign_in', client: TEST_CLIENT })).toEqual({
        ok: false,
        problem: 'send_failed',
        message: 'The text message service could not be reached. Try again in a few minutes.',
      });
      expect(await smsRows(userId)).toMatchObject([{ status: 'refused', errorCode: null }]);
    } finally {
      process.env.TWILIO_API_BASE_URL = twilio.baseUrl;
      resetEnvCache();
      resetSmsTransport();
    }
  });
});
