import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { startChallenge, verifyChallenge, type ChallengePurpose } from '.';
import { freshClient, freshMobile, insertEnrolledUser, insertTestSession, lastCodeSentTo, setTestSettings, TEST_CLIENT, wrongCode } from './testing';

const T0 = new Date('2030-05-06T10:00:15.000Z');

beforeEach(async () => {
  setClock(T0);
  await setTestSettings({ smsAllowedCountries: [], smsSendsPerIpPerHour: 10_000, mfaFailuresPerIpPerHour: 10_000 });
});
afterEach(() => resetClock());

/** Every code sent in this file, to prove none lands in an event. */
const issued: string[] = [];

async function sendCode(userId: string, sessionId: string, purpose: ChallengePurpose = 'sign_in', phoneE164?: string) {
  const result = await startChallenge({ userId, sessionId, purpose, phoneE164, client: TEST_CLIENT });
  if (!result.ok) throw new Error(`no code sent: ${result.message}`);
  const [challenge] = await getDb().select().from(schema.mfaChallenges).where(eq(schema.mfaChallenges.id, result.challengeId));
  const code = (await lastCodeSentTo(challenge!.phoneE164))!;
  issued.push(code);
  return { code, challengeId: result.challengeId };
}

const verify = (userId: string, sessionId: string, code: string, purpose: ChallengePurpose = 'sign_in', client = TEST_CLIENT) =>
  verifyChallenge({ userId, sessionId, purpose, code, client });

const factorOf = async (userId: string) => (await getDb().select().from(schema.mfaFactors).where(eq(schema.mfaFactors.userId, userId)))[0];
const sessionOf = async (id: string) => (await getDb().select().from(schema.authSessions).where(eq(schema.authSessions.id, id)))[0]!;
const eventsOf = (userId: string, subType: string) =>
  getDb().select().from(schema.events).where(and(eq(schema.events.subjectUserId, userId), eq(schema.events.subType, subType)));

describe('verifying a sign-in code', () => {
  it('passes the session once with the right code, resets the failures and writes an event', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    await getDb().update(schema.mfaFactors).set({ failureCount: 42 }).where(eq(schema.mfaFactors.userId, userId));
    const { code, challengeId } = await sendCode(userId, sessionId);
    advanceClock(5_000);
    expect(await verify(userId, sessionId, ` ${code.slice(0, 3)} ${code.slice(3)} `)).toEqual({ ok: true, purpose: 'sign_in' });
    expect((await sessionOf(sessionId)).mfaState).toBe('passed');
    expect((await factorOf(userId))!.failureCount).toBe(0);
    const [challenge] = await getDb().select().from(schema.mfaChallenges).where(eq(schema.mfaChallenges.id, challengeId));
    expect(challenge!.consumedAt).toEqual(new Date(T0.getTime() + 5_000));
    const [event] = await eventsOf(userId, 'Challenge Passed');
    expect(event).toMatchObject({ type: 'MFA', outcome: 'success', actorType: 'user', actorId: userId });
    expect(event!.details).toMatchObject({ purpose: 'sign_in', challengeId });

    // Single use.
    expect(await verify(userId, sessionId, code)).toMatchObject({ ok: false, problem: 'no_challenge' });
  });

  it('accepts a code until 10 minutes have passed, not at 10 minutes', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    const first = await sendCode(userId, sessionId);
    advanceClock(600_000 - 1);
    expect(await verify(userId, sessionId, first.code)).toEqual({ ok: true, purpose: 'sign_in' });

    const other = await insertTestSession(userId);
    const second = await sendCode(userId, other);
    advanceClock(600_000);
    expect(await verify(userId, other, second.code)).toEqual({
      ok: false,
      problem: 'expired',
      message: 'This code has expired: codes are valid for 10 minutes. Ask for a new code.',
    });
    expect((await sessionOf(other)).mfaState).toBe('pending');
  });

  it('allows 5 wrong guesses per code, then the code is dead even when right', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    const { code, challengeId } = await sendCode(userId, sessionId);
    const bad = wrongCode(code);
    for (const left of [4, 3, 2, 1]) {
      expect(await verify(userId, sessionId, bad)).toEqual({
        ok: false,
        problem: 'wrong_code',
        message: `That code is not correct. ${left} ${left === 1 ? 'try' : 'tries'} left for this code.`,
        attemptsLeft: left,
      });
    }
    expect(await verify(userId, sessionId, bad)).toMatchObject({ ok: false, problem: 'too_many_attempts', attemptsLeft: 0 });
    expect(await verify(userId, sessionId, code)).toMatchObject({ ok: false, problem: 'too_many_attempts', attemptsLeft: 0 });
    expect((await sessionOf(sessionId)).mfaState).toBe('pending');
    expect((await factorOf(userId))!.failureCount).toBe(5);
    const failed = await eventsOf(userId, 'Challenge Failed');
    expect(failed.map((e) => (e.details as { attemptsLeft: number }).attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(failed.every((e) => e.outcome === 'failure' && (e.details as { challengeId: string }).challengeId === challengeId)).toBe(true);

    // A resend gives a new code that works.
    advanceClock(30_000);
    const fresh = await sendCode(userId, sessionId);
    expect(await verify(userId, sessionId, fresh.code)).toEqual({ ok: true, purpose: 'sign_in' });
  });

  it('treats something that is not six digits as a wrong guess', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    await sendCode(userId, sessionId);
    expect(await verify(userId, sessionId, 'abcdef')).toMatchObject({ problem: 'wrong_code', attemptsLeft: 4 });
  });

  it('binds the code to its session: another session of the same user cannot use it', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    const { code } = await sendCode(userId, sessionId);
    const other = await insertTestSession(userId);
    expect(await verify(userId, other, code)).toMatchObject({ ok: false, problem: 'no_challenge' });
    expect(await verify(userId, sessionId, code, 'enrol')).toMatchObject({ ok: false, problem: 'no_challenge' });
    expect(await verify(userId, sessionId, code)).toEqual({ ok: true, purpose: 'sign_in' });
    expect((await sessionOf(other)).mfaState).toBe('pending');
  });

  it('invalidates the old code when a new one is sent', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    const first = await sendCode(userId, sessionId);
    advanceClock(30_000);
    const second = await sendCode(userId, sessionId);
    if (first.code !== second.code) {
      expect(await verify(userId, sessionId, first.code)).toMatchObject({ ok: false, problem: 'wrong_code' });
    }
    expect(await verify(userId, sessionId, second.code)).toEqual({ ok: true, purpose: 'sign_in' });
  });

  it('locks the factor after 100 consecutive wrong codes across challenges, until an admin unlocks it', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    const { code } = await sendCode(userId, sessionId);
    await getDb().update(schema.mfaFactors).set({ failureCount: 98 }).where(eq(schema.mfaFactors.userId, userId));
    expect(await verify(userId, sessionId, wrongCode(code))).toMatchObject({ problem: 'wrong_code', attemptsLeft: 4 });
    expect(await verify(userId, sessionId, wrongCode(code))).toMatchObject({ ok: false, problem: 'locked', message: expect.stringMatching(/administrator/) });
    expect(await factorOf(userId)).toMatchObject({ failureCount: 100, lockedAt: T0 });
    const [locked] = await eventsOf(userId, 'Locked');
    expect(locked).toMatchObject({ type: 'MFA', outcome: 'failure' });
    expect(await verify(userId, sessionId, code)).toMatchObject({ ok: false, problem: 'locked' });
    expect(await startChallenge({ userId, sessionId: await insertTestSession(userId), purpose: 'sign_in', client: TEST_CLIENT })).toMatchObject({
      ok: false,
      problem: 'locked',
    });
  });

  it('counts 100 failures one by one over many codes', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    let result;
    for (let i = 0; i < 20; i++) {
      const session = i === 0 ? sessionId : await insertTestSession(userId);
      const { code } = await sendCode(userId, session);
      for (let j = 0; j < 5; j++) result = await verify(userId, session, wrongCode(code), 'sign_in', freshClient());
      advanceClock(3 * 3_600_000); // stays under 10 codes a day
    }
    expect(result).toMatchObject({ problem: 'locked' });
    expect(await factorOf(userId)).toMatchObject({ failureCount: 100 });
    expect(await eventsOf(userId, 'Locked')).toHaveLength(1);
  });

  it('caps wrong codes per IP per hour with settings.mfaFailuresPerIpPerHour', async () => {
    await setTestSettings({ mfaFailuresPerIpPerHour: 3 });
    const client = freshClient();
    const { userId, sessionId } = await insertEnrolledUser();
    const { code } = await sendCode(userId, sessionId);
    for (let i = 0; i < 3; i++) expect(await verify(userId, sessionId, wrongCode(code), 'sign_in', client)).toMatchObject({ problem: 'wrong_code' });
    expect(await verify(userId, sessionId, code, 'sign_in', client)).toEqual({
      ok: false,
      problem: 'ip_limit',
      message: 'Too many wrong codes were entered from your network in the last hour. Try again in 1 hour.',
    });
    expect(await verify(userId, sessionId, code, 'sign_in', freshClient())).toEqual({ ok: true, purpose: 'sign_in' });
  });

  it.runIf(inject('testDriver') === 'postgres')('gives one success to two parallel checks of one code', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    const { code } = await sendCode(userId, sessionId);
    const results = await Promise.all([verify(userId, sessionId, code), verify(userId, sessionId, code), verify(userId, sessionId, code)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await eventsOf(userId, 'Challenge Passed')).toHaveLength(1);
  });
});

describe('enrolment and change of number', () => {
  it('enrols: the factor gets the challenge number, the session passes, with an Enrolled event', async () => {
    const user = await insertTestUser();
    const sessionId = await insertTestSession(user.id);
    const phone = freshMobile();
    const { code } = await sendCode(user.id, sessionId, 'enrol', phone);
    expect(await verify(user.id, sessionId, code, 'enrol')).toEqual({ ok: true, purpose: 'enrol' });
    expect(await factorOf(user.id)).toMatchObject({ phoneE164: phone, verifiedAt: T0, failureCount: 0, lockedAt: null });
    expect((await sessionOf(sessionId)).mfaState).toBe('passed');
    const [event] = await eventsOf(user.id, 'Enrolled');
    expect(event!.details).toEqual({ maskedPhone: expect.stringMatching(/^\+44 /) });
  });

  it('changes the number, keeps the old one as previous, and notifies the old number by SMS without the new full number', async () => {
    const oldPhone = freshMobile();
    const { userId, sessionId } = await insertEnrolledUser(oldPhone);
    const newPhone = freshMobile();
    const { code } = await sendCode(userId, sessionId, 'change_phone', newPhone);
    expect(await verify(userId, sessionId, code, 'change_phone')).toEqual({ ok: true, purpose: 'change_phone' });
    expect(await factorOf(userId)).toMatchObject({ phoneE164: newPhone, previousPhoneE164: oldPhone, verifiedAt: T0 });

    const [notice] = await getDb().select().from(schema.outbox).where(and(eq(schema.outbox.channel, 'sms'), eq(schema.outbox.recipient, oldPhone)));
    expect(notice!.bodyText).toContain(`changed to +44 •••• ••${newPhone.slice(-4)}`);
    expect(notice!.bodyText).not.toContain(newPhone);
    expect(notice!.bodyText).not.toContain(newPhone.slice(1));
    const rows = await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.toE164, oldPhone));
    expect(rows).toMatchObject([{ purpose: 'phone_changed_notice', status: 'dev_outbox', userId }]);
    const [event] = await eventsOf(userId, 'Phone Changed');
    expect(event!.details).toMatchObject({ noticeSentBy: 'sms', previousMaskedPhone: expect.stringContaining(oldPhone.slice(-4)) });
    expect(JSON.stringify(event!.details)).not.toContain(newPhone);
  });

  it('notifies by email when there was no old number', async () => {
    const user = await insertTestUser();
    const sessionId = await insertTestSession(user.id);
    const newPhone = freshMobile();
    const { code } = await sendCode(user.id, sessionId, 'change_phone', newPhone);
    expect(await verify(user.id, sessionId, code, 'change_phone')).toEqual({ ok: true, purpose: 'change_phone' });
    const [mail] = await getDb().select().from(schema.outbox).where(and(eq(schema.outbox.channel, 'email'), eq(schema.outbox.recipient, user.email)));
    expect(mail!.subject).toMatch(/two-factor verification number was changed/);
    expect(mail!.bodyText).toContain(`••${newPhone.slice(-4)}`);
    expect(mail!.bodyText).not.toContain(newPhone);
  });
});

describe('secrets', () => {
  it('never writes a code into the events table', async () => {
    expect(issued.length).toBeGreaterThan(10);
    const events = JSON.stringify(await getDb().select().from(schema.events));
    for (const code of issued) expect(events).not.toMatch(new RegExp(`\\b${code}\\b`));
    const challenges = JSON.stringify(await getDb().select().from(schema.mfaChallenges));
    for (const code of issued) expect(challenges).not.toMatch(new RegExp(`\\b${code}\\b`));
  });
});

describe('codes sent before a change of number', () => {
  it('an enrolment code from another session cannot replace a number verified meanwhile', async () => {
    const user = await insertTestUser({ status: 'active' });
    const intruderSession = await insertTestSession(user.id, { mfaState: 'pending' });
    const ownerSession = await insertTestSession(user.id, { mfaState: 'pending' });
    const intruderPhone = freshMobile();
    const ownerPhone = freshMobile();
    const intruder = await sendCode(user.id, intruderSession, 'enrol', intruderPhone);
    const owner = await sendCode(user.id, ownerSession, 'enrol', ownerPhone);
    expect(await verify(user.id, ownerSession, owner.code, 'enrol')).toEqual({ ok: true, purpose: 'enrol' });

    const late = await verify(user.id, intruderSession, intruder.code, 'enrol');
    expect(late).toMatchObject({ ok: false, problem: 'no_challenge' });
    expect((await factorOf(user.id))!.phoneE164).toBe(ownerPhone);
    expect((await sessionOf(intruderSession)).mfaState).toBe('pending');
  });

  it('a change of number ends the codes other sessions were sent to the old number', async () => {
    const { userId, sessionId } = await insertEnrolledUser();
    const otherSession = await insertTestSession(userId, { mfaState: 'pending' });
    const oldNumberCode = await sendCode(userId, otherSession, 'sign_in');
    const newPhone = freshMobile();
    const change = await sendCode(userId, sessionId, 'change_phone', newPhone);
    expect(await verify(userId, sessionId, change.code, 'change_phone')).toEqual({ ok: true, purpose: 'change_phone' });

    expect(await verify(userId, otherSession, oldNumberCode.code)).toMatchObject({ ok: false, problem: 'no_challenge' });
    expect((await sessionOf(otherSession)).mfaState).toBe('pending');
  });
});
