import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { createSession, validateSession } from '@/lib/auth/sessions';
import { verifySignIn } from '@/lib/auth/sign-in';
import type { SessionClaims } from '@/lib/auth/types';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { inspectInvitation } from '@/lib/invitations';
import { dumpSecretsTables, eventsOf, kindsOf, mailsTo, startMailSink, stopMailSink, tokenFrom, useSettings } from '@/lib/invitations/mail-test-support';
import { hashPassword, PASSWORD_PROBLEMS, verifyPassword } from '@/lib/passwords';
import { insertTestUser } from '@/lib/testing/factories';
import type { SmtpSink } from '@/lib/testing/smtp-sink';
import {
  CHANGE_FAILURE_LIMIT,
  changePassword,
  completePasswordReset,
  inspectPasswordResetLink,
  requestPasswordReset,
  RESET_REQUEST_LIMITS,
} from '.';

const OLD = 'the old passphrase here';
const NEW = 'a brand new passphrase';
let oldHash: string;
let ipCounter = 0;
/** A fresh client per test, so per-IP limits don't leak between tests. */
const client = () => ({ ip: `192.0.2.${++ipCounter}`, userAgent: 'ResetBrowser/3.0' });

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startMailSink({ rejectRecipient: (a) => (a.startsWith('bounce') ? '5.1.1 No such mailbox' : undefined) });
  oldHash = await hashPassword(OLD);
});
afterAll(() => stopMailSink(sink));
afterEach(() => resetClock());

const activeUser = (overrides: Parameters<typeof insertTestUser>[0] = {}) => insertTestUser({ status: 'active', passwordHash: oldHash, ...overrides });
const userRow = async (id: string) => (await getDb().select().from(schema.users).where(eq(schema.users.id, id)))[0]!;

async function signedIn(user: { id: string }): Promise<SessionClaims> {
  const { sessionVersion } = await userRow(user.id);
  const sessionId = await createSession(getDb(), { realm: 'user', principalId: user.id, sessionVersion, ip: null, userAgent: null });
  return { realm: 'user', principalId: user.id, sessionId, sessionVersion };
}

/** Requests a reset for an active user and returns the token from the email. */
async function resetLinkFor(user: { email: string }) {
  expect(await requestPasswordReset(user.email, client())).toBe('link_sent');
  return tokenFrom(mailsTo(sink, user.email).at(-1)!.text, 'reset-password');
}

describe('requestPasswordReset', () => {
  it('emails an active user a one-hour link with the username, matching the address in any case', async () => {
    setClock(new Date('2030-03-04T08:00:00.000Z'));
    await useSettings({ organisationName: 'Acme' });
    const user = await activeUser({ firstName: 'Ada' });
    expect(await requestPasswordReset(`  ${user.email.toUpperCase()} `, client())).toBe('link_sent');

    const [mail] = mailsTo(sink, user.email);
    expect(mail!.header('subject')).toBe('Reset your Acme VPN portal password');
    const token = tokenFrom(mail!.text, 'reset-password');
    for (const expected of ['Hello Ada,', `Your username: ${user.username}`, `http://localhost:3000/reset-password/${token}`, 'expires on Monday, 4 March 2030 at 09:00 UTC']) {
      expect(mail!.text).toContain(expected);
    }
    expect(mail!.html).toContain(`<a href="http://localhost:3000/reset-password/${token}"`);
    expect(await inspectPasswordResetLink(token)).toEqual({ state: 'valid', username: user.username });
    expect(await dumpSecretsTables()).not.toContain(token);

    const [event] = await eventsOf(user.id);
    expect(event).toMatchObject({ type: 'Password', subType: 'Reset Requested', outcome: 'success', details: { email: user.email, result: 'link_issued' } });

    advanceClock(3600_000 - 1);
    expect((await inspectPasswordResetLink(token)).state).toBe('valid');
    advanceClock(1);
    expect(await inspectPasswordResetLink(token)).toEqual({ state: 'expired' });
    await useSettings({ organisationName: 'Onramp' });
  });

  it('sends nothing for an unknown email, a disabled user, or an address that is not an account', async () => {
    const disabled = await activeUser({ status: 'disabled' });
    const before = sink.messages.length;
    const unknown = `nobody.${randomBytes(4).toString('hex')}@example.com`;
    expect(await requestPasswordReset(unknown, client())).toBe('no_account');
    expect(await requestPasswordReset(disabled.email, client())).toBe('not_active');
    expect(sink.messages.length).toBe(before);

    const e = schema.events;
    const [unknownEvent] = await getDb().select().from(e).where(eq(e.actorLabel, unknown));
    expect(unknownEvent).toMatchObject({ subType: 'Reset Requested', outcome: 'failure', subjectUserId: null, details: { email: unknown, result: 'no_account' } });
    expect(kindsOf(await eventsOf(disabled.id))).toEqual(['Password/Reset Requested']);
  });

  it('replaces an older link with a newer one', async () => {
    const user = await activeUser();
    const first = await resetLinkFor(user);
    const second = await resetLinkFor(user);
    expect(await inspectPasswordResetLink(first)).toEqual({ state: 'invalidated' });
    expect((await inspectPasswordResetLink(second)).state).toBe('valid');
  });

  it(`allows ${RESET_REQUEST_LIMITS.perEmail} requests per email per hour, then silently sends nothing`, async () => {
    setClock(new Date('2030-03-04T08:00:00.000Z'));
    const user = await activeUser();
    for (let i = 0; i < RESET_REQUEST_LIMITS.perEmail; i++) expect(await requestPasswordReset(user.email, client())).toBe('link_sent');
    const before = sink.messages.length;
    expect(await requestPasswordReset(user.email, client())).toBe('rate_limited');
    expect(await requestPasswordReset(user.email.toUpperCase(), client())).toBe('rate_limited');
    expect(sink.messages.length).toBe(before);
    // One refusal event per window, not one per request.
    expect((await eventsOf(user.id)).filter((e) => e.details.result === 'rate_limited')).toHaveLength(1);
    advanceClock(3600_000);
    expect(await requestPasswordReset(user.email, client())).toBe('link_sent');
  });

  it(`allows ${RESET_REQUEST_LIMITS.perIp} requests per IP per hour`, async () => {
    setClock(new Date('2030-03-04T08:00:00.000Z'));
    const from = client();
    for (let i = 0; i < RESET_REQUEST_LIMITS.perIp; i++) {
      expect(await requestPasswordReset(`nobody.${i}.${randomBytes(3).toString('hex')}@example.com`, from)).toBe('no_account');
    }
    const user = await activeUser();
    const before = sink.messages.length;
    expect(await requestPasswordReset(user.email, from)).toBe('rate_limited');
    expect(sink.messages.length).toBe(before);
    expect(await requestPasswordReset(user.email, client())).toBe('link_sent');
  });

  it('sends an invited user a fresh invitation instead', async () => {
    const user = await insertTestUser({ status: 'invited', passwordHash: null });
    expect(await requestPasswordReset(user.email, client())).toBe('invitation_resent');
    const [mail] = mailsTo(sink, user.email);
    expect(mail!.header('subject')).toMatch(/^Activate your .* VPN account$/);
    const token = tokenFrom(mail!.text, 'activate');
    expect((await inspectInvitation(token)).state).toBe('valid');
    expect(kindsOf(await eventsOf(user.id))).toEqual(['Password/Reset Requested', 'Invitation/Resent']);
  });

  it('records a failed delivery', async () => {
    const user = await activeUser({ email: `bounce.${randomBytes(4).toString('hex')}@example.com` });
    expect(await requestPasswordReset(user.email, client())).toBe('send_failed');
    const events = await eventsOf(user.id);
    expect(events.map((e) => [e.outcome, e.details.result])).toEqual([
      ['success', 'link_issued'],
      ['failure', 'send_failed'],
    ]);
    expect(events[1]!.details.reason).toMatch(/550/);
  });
});

describe('completePasswordReset', () => {
  it('sets the password, ends every other session, uses the link up and records Reset Completed', async () => {
    const user = await activeUser();
    const elsewhere = await signedIn(user);
    const token = await resetLinkFor(user);
    const who = client();

    expect(await completePasswordReset({ token, password: NEW }, who)).toEqual({ ok: true });

    expect(await validateSession(elsewhere, 'user')).toEqual({ ok: false, problem: 'revoked' });
    const row = await userRow(user.id);
    expect(await verifyPassword(row.passwordHash, NEW)).toBe(true);
    expect(await verifyPassword(row.passwordHash, OLD)).toBe(false);
    expect(await inspectPasswordResetLink(token)).toEqual({ state: 'used' });
    expect(await completePasswordReset({ token, password: 'yet another passphrase' }, who)).toEqual({ ok: false, state: 'used' });
    const completed = (await eventsOf(user.id)).find((e) => e.subType === 'Reset Completed');
    expect(completed).toMatchObject({ actorType: 'user', actorId: user.id, ip: who.ip, details: { email: user.email, sessionsEnded: true } });
    expect(await dumpSecretsTables()).not.toContain(NEW);

    expect((await verifySignIn('user', user.email, NEW, client())).principalId).toBe(user.id);
  });

  it('applies the password rules and leaves the link usable', async () => {
    const user = await activeUser();
    const token = await resetLinkFor(user);
    expect(await completePasswordReset({ token, password: 'qwertyuiop123' }, client())).toEqual({ ok: false, passwordProblem: PASSWORD_PROBLEMS.common });
    expect(await completePasswordReset({ token, password: `my ${user.username} pass` }, client())).toEqual({
      ok: false,
      passwordProblem: PASSWORD_PROBLEMS.username,
    });
    expect(await completePasswordReset({ token, password: 'tiny' }, client())).toEqual({ ok: false, passwordProblem: 'Use at least 12 characters (this has 4).' });
    expect((await inspectPasswordResetLink(token)).state).toBe('valid');
  });

  it('refuses a link after the user was disabled, and unknown or expired links', async () => {
    const user = await activeUser();
    const token = await resetLinkFor(user);
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, user.id));
    expect(await completePasswordReset({ token, password: NEW }, client())).toEqual({ ok: false, state: 'invalidated' });
    expect(await completePasswordReset({ token: 'no-such-token-anywhere', password: NEW }, client())).toEqual({ ok: false, state: 'unknown' });

    setClock(new Date('2030-03-04T08:00:00.000Z'));
    const other = await activeUser();
    const late = await resetLinkFor(other);
    advanceClock(3600_000);
    expect(await completePasswordReset({ token: late, password: NEW }, client())).toEqual({ ok: false, state: 'expired' });
  });
});

describe('changePassword', () => {
  it('requires the current password', async () => {
    const user = await activeUser();
    expect(await changePassword(user.id, { currentPassword: 'not my password', password: NEW }, client())).toEqual({
      ok: false,
      field: 'currentPassword',
      message: 'That is not your current password.',
    });
    expect(await verifyPassword((await userRow(user.id)).passwordHash, OLD)).toBe(true);
    expect(await eventsOf(user.id)).toEqual([]);
  });

  it('applies the password rules to the new one', async () => {
    const user = await activeUser();
    expect(await changePassword(user.id, { currentPassword: OLD, password: 'iloveyou1234' }, client())).toEqual({
      ok: false,
      field: 'password',
      message: PASSWORD_PROBLEMS.common,
    });
    expect(await changePassword(user.id, { currentPassword: OLD, password: `${user.email} 1` }, client())).toMatchObject({ field: 'password' });
  });

  it('stores the new password, ends every session and records Password Changed', async () => {
    const user = await activeUser();
    const here = await signedIn(user);
    const elsewhere = await signedIn(user);
    const who = client();
    expect(await changePassword(user.id, { currentPassword: OLD, password: NEW }, who)).toEqual({ ok: true });
    expect(await validateSession(here, 'user')).toEqual({ ok: false, problem: 'revoked' });
    expect(await validateSession(elsewhere, 'user')).toEqual({ ok: false, problem: 'revoked' });
    expect(await verifyPassword((await userRow(user.id)).passwordHash, NEW)).toBe(true);
    const [event] = await eventsOf(user.id);
    expect(event).toMatchObject({ type: 'Password', subType: 'Changed', actorId: user.id, ip: who.ip, details: { email: user.email, sessionsEnded: true } });
    // The caller signs this browser in again with the new password.
    expect((await verifySignIn('user', user.username, NEW, client())).principalId).toBe(user.id);
  });

  it(`pauses after ${CHANGE_FAILURE_LIMIT} wrong current passwords`, async () => {
    setClock(new Date('2030-03-04T08:00:00.000Z'));
    const user = await activeUser();
    for (let i = 0; i < CHANGE_FAILURE_LIMIT; i++) {
      expect(await changePassword(user.id, { currentPassword: `wrong ${i}`, password: NEW }, client())).toMatchObject({ field: 'currentPassword' });
    }
    expect(await changePassword(user.id, { currentPassword: OLD, password: NEW }, client())).toEqual({
      ok: false,
      field: 'currentPassword',
      message: 'Too many wrong attempts. Wait 15 minutes and try again.',
    });
    advanceClock(15 * 60_000);
    expect(await changePassword(user.id, { currentPassword: OLD, password: NEW }, client())).toEqual({ ok: true });
  });
});
