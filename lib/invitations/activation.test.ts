import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { createSession, validateSession } from '@/lib/auth/sessions';
import { verifySignIn } from '@/lib/auth/sign-in';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { PASSWORD_PROBLEMS, verifyPassword } from '@/lib/passwords';
import { insertTestUser } from '@/lib/testing/factories';
import type { SmtpSink } from '@/lib/testing/smtp-sink';
import { activateAccount, inspectInvitation, inviteUser } from '.';
import { dumpSecretsTables, eventsOf, kindsOf, mailsTo, startMailSink, stopMailSink, tokenFrom, useSettings } from './mail-test-support';

const ADMIN = { type: 'admin', id: '00000000-0000-4000-8000-000000000001', label: 'grace@example.com' } as const;
type Invitee = { username: string; email: string };

const CLIENT = { ip: '198.51.100.4', userAgent: 'UserBrowser/2.0' };
const PASSWORD = 'four unrelated words here';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startMailSink();
});
afterAll(() => stopMailSink(sink));
afterEach(() => resetClock());

/** An invited user with an emailed invitation; returns the user and the token from the email. */
async function invited(overrides: Parameters<typeof insertTestUser>[0] = {}) {
  const user = await insertTestUser({ status: 'invited', passwordHash: null, ...overrides });
  expect(await inviteUser(user.id, { actor: ADMIN, client: CLIENT, resend: false })).toEqual({ ok: true });
  const token = tokenFrom(mailsTo(sink, user.email).at(-1)!.text, 'activate');
  return { user, token };
}

const userRow = async (id: string) => (await getDb().select().from(schema.users).where(eq(schema.users.id, id)))[0]!;
const tokenRow = async (subjectId: string) =>
  (await getDb().select().from(schema.singleUseTokens).where(eq(schema.singleUseTokens.subjectId, subjectId)))[0]!;

describe('the activation link', () => {
  it('shows the organisation and username without using the link', async () => {
    await useSettings({ organisationName: 'Acme' });
    const { user, token } = await invited({ username: `ada_${Date.now()}` });
    expect(await inspectInvitation(token)).toEqual({ state: 'valid', organisationName: 'Acme', username: user.username });
    expect(await inspectInvitation(token)).toEqual({ state: 'valid', organisationName: 'Acme', username: user.username });
    expect((await tokenRow(user.id)).usedAt).toBeNull();
    await useSettings({ organisationName: 'Onramp' });
  });

  it('says which case an unusable link is, and nothing about the account', async () => {
    expect(await inspectInvitation('not-a-real-token-at-all')).toEqual({ state: 'unknown' });
    const { user, token } = await invited();
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, user.id));
    expect(await inspectInvitation(token)).toEqual({ state: 'invalidated' });
    expect(await activateAccount({ token, password: PASSWORD }, CLIENT)).toEqual({ ok: false, state: 'invalidated' });
    // Refused without using the link up: once the user is enabled again it works.
    await getDb().update(schema.users).set({ status: 'invited' }).where(eq(schema.users.id, user.id));
    expect((await activateAccount({ token, password: PASSWORD }, CLIENT)).ok).toBe(true);
  });
});

describe('activateAccount', () => {
  it('sets the password, makes the user active and records Accepted and Activated, in one go', async () => {
    const at = new Date('2030-05-06T07:08:09.000Z');
    setClock(at);
    const { user, token } = await invited();
    // A stale session row from before (e.g. an admin reset) does not survive activation.
    const stale = await createSession(getDb(), { realm: 'user', principalId: user.id, sessionVersion: user.sessionVersion, ip: null, userAgent: null });

    expect(await activateAccount({ token, password: PASSWORD }, CLIENT)).toEqual({ ok: true, username: user.username });

    const row = await userRow(user.id);
    expect(row).toMatchObject({ status: 'active', activatedAt: at });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
    expect((await tokenRow(user.id)).usedAt).toEqual(at);
    expect((await validateSession({ realm: 'user', principalId: user.id, sessionId: stale, sessionVersion: user.sessionVersion })).ok).toBe(false);

    const events = await eventsOf(user.id);
    expect(kindsOf(events)).toEqual(['Invitation/Sent', 'Invitation/Accepted', 'User/Activated']);
    for (const e of events.slice(1)) {
      expect(e).toMatchObject({ actorType: 'user', actorId: user.id, actorLabel: user.email, ip: CLIENT.ip, userAgent: CLIENT.userAgent, occurredAt: at });
    }
    expect(await dumpSecretsTables()).not.toContain(PASSWORD);
    expect(await dumpSecretsTables()).not.toContain(token);

    // The new password signs in.
    resetClock();
    const claims = await verifySignIn('user', user.username, PASSWORD, CLIENT);
    expect(claims.principalId).toBe(user.id);
  });

  it('refuses a used link, on the page and on submit', async () => {
    const { user, token } = await invited();
    expect((await activateAccount({ token, password: PASSWORD }, CLIENT)).ok).toBe(true);
    expect(await inspectInvitation(token)).toEqual({ state: 'used' });
    expect(await activateAccount({ token, password: 'another good passphrase' }, CLIENT)).toEqual({ ok: false, state: 'used' });
    expect(await verifyPassword((await userRow(user.id)).passwordHash, PASSWORD)).toBe(true);
  });

  it('lets only one of two simultaneous submissions win', async () => {
    const { user, token } = await invited();
    const results = await Promise.all([
      activateAccount({ token, password: 'first passphrase wins' }, CLIENT),
      activateAccount({ token, password: 'second passphrase wins' }, CLIENT),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, state: 'used' }]);
    expect(kindsOf(await eventsOf(user.id)).filter((k) => k === 'User/Activated')).toHaveLength(1);
  });

  it('refuses an expired link', async () => {
    setClock(new Date('2030-01-01T00:00:00.000Z'));
    const { user, token } = await invited();
    setClock(new Date('2030-01-08T00:00:00.000Z'));
    expect(await activateAccount({ token, password: PASSWORD }, CLIENT)).toEqual({ ok: false, state: 'expired' });
    expect((await userRow(user.id)).status).toBe('invited');
  });

  it('refuses a superseded link', async () => {
    const { user, token } = await invited();
    expect(await inviteUser(user.id, { actor: ADMIN, client: CLIENT, resend: true })).toEqual({ ok: true });
    expect(await activateAccount({ token, password: PASSWORD }, CLIENT)).toEqual({ ok: false, state: 'invalidated' });
  });

  it.each([
    ['too short', () => 'short pass', 'Use at least 12 characters (this has 10).'],
    ['too long', () => 'x'.repeat(129), 'Use at most 128 characters (this has 129).'],
    ['common (in any case)', () => 'PassWord1234', PASSWORD_PROBLEMS.common],
    ['containing the username', (u: Invitee) => `my name is ${u.username.toUpperCase()} ok`, PASSWORD_PROBLEMS.username],
    ['containing the email', (u: Invitee) => `${u.email.toLowerCase()}!!`, PASSWORD_PROBLEMS.email],
    ['containing the email local part', (u: Invitee) => `hello ${u.email.split('@')[0]} there`, PASSWORD_PROBLEMS.email],
  ])('refuses a password %s, and the link still works afterwards', async (_label, passwordFor, problem) => {
    const { user, token } = await invited();
    expect(await activateAccount({ token, password: passwordFor(user) }, CLIENT)).toEqual({ ok: false, passwordProblem: problem });
    expect((await userRow(user.id)).status).toBe('invited');
    expect((await inspectInvitation(token)).state).toBe('valid');
  });

  it('accepts emoji and spaces, counting code points (128 emoji is the maximum)', async () => {
    const { user, token } = await invited();
    const password = '🔐'.repeat(128);
    expect(await activateAccount({ token, password }, CLIENT)).toEqual({ ok: true, username: user.username });
    expect(await verifyPassword((await userRow(user.id)).passwordHash, password)).toBe(true);
  });
});
