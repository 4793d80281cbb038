import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { hashPassword } from '@/lib/passwords';
import { incrementCounter } from '@/lib/rate-limit';
import { insertTestUser } from '@/lib/testing/factories';
import { clearReauthentication, isRecentlyReauthenticated, reauthenticate, REAUTHENTICATION_VALID_SECONDS } from './reauthenticate';
import { createSession } from './sessions';
import { ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, SIGN_IN_WINDOW_SECONDS, SignInFailure, verifySignIn } from './sign-in';

const PASSWORD = 'Sw0rdfish-&-Tulips-9413';
let passwordHash: string;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
  // Ten seconds into a 15-minute window, so window arithmetic is predictable.
  setClock(new Date('2030-03-04T08:00:10.000Z'));
});

afterEach(() => {
  resetClock();
});

let ipCounter = 0;
function client() {
  ipCounter += 1;
  return { ip: `203.0.113.${ipCounter}`, userAgent: 'Mozilla/5.0 (vitest)' };
}

/** An active user with a live session, as requireUser would return them. */
async function signedInUser() {
  const user = await insertTestUser({ passwordHash });
  const sessionId = await createSession(getDb(), { realm: 'user', principalId: user.id, sessionVersion: 1, ip: null, userAgent: null });
  return { id: user.id, email: user.email, username: user.username, sessionId };
}

async function sessionRow(id: string) {
  const [row] = await getDb().select().from(schema.authSessions).where(eq(schema.authSessions.id, id));
  return row!;
}

async function eventsOf(userId: string) {
  return getDb().select().from(schema.events).where(eq(schema.events.subjectUserId, userId)).orderBy(schema.events.id);
}

describe('reauthenticate', () => {
  it('marks this session re-authenticated for 10 minutes with the right password, and records it', async () => {
    const user = await signedInUser();
    const other = await createSession(getDb(), { realm: 'user', principalId: user.id, sessionVersion: 1, ip: null, userAgent: null });
    expect(await isRecentlyReauthenticated(user)).toBe(false);

    const result = await reauthenticate(user, PASSWORD, client());

    expect(result).toEqual({ ok: true, validUntil: new Date('2030-03-04T08:10:10.000Z') });
    expect((await sessionRow(user.sessionId)).reauthenticatedAt).toEqual(new Date('2030-03-04T08:00:10.000Z'));
    expect((await sessionRow(other)).reauthenticatedAt).toBeNull();
    expect(await isRecentlyReauthenticated(user)).toBe(true);
    expect(await isRecentlyReauthenticated({ id: user.id, sessionId: other })).toBe(false);
    const [event] = await eventsOf(user.id);
    expect(event).toMatchObject({ type: 'Authentication', subType: 'User Sign-In', outcome: 'success' });
    expect(event!.details).toEqual({ step: 'reauthenticate', sessionId: user.sessionId });

    advanceClock(REAUTHENTICATION_VALID_SECONDS * 1000);
    expect(await isRecentlyReauthenticated(user)).toBe(true);
    advanceClock(1000);
    expect(await isRecentlyReauthenticated(user)).toBe(false);
  });

  it('refuses a wrong password without touching the session, and counts it like a failed sign-in', async () => {
    const user = await signedInUser();
    const who = client();

    const result = await reauthenticate(user, 'not my password at all', who);

    expect(result).toEqual({ ok: false, code: 'invalid', message: 'The password is incorrect.' });
    expect((await sessionRow(user.sessionId)).reauthenticatedAt).toBeNull();
    expect(await isRecentlyReauthenticated(user)).toBe(false);
    const [event] = await eventsOf(user.id);
    expect(event).toMatchObject({ subType: 'User Sign-In', outcome: 'failure' });
    expect(event!.details).toMatchObject({ step: 'reauthenticate', reason: 'invalid' });
    expect(JSON.stringify(event)).not.toContain('not my password');

    // The failure counts towards the sign-in's per-account limit: nine more sign-in failures lock it.
    for (let i = 1; i < ACCOUNT_FAILURE_LIMIT; i += 1) {
      await verifySignIn('user', user.email, 'wrong again', client()).catch((e: unknown) => expect(e).toBeInstanceOf(SignInFailure));
    }
    const locked = await verifySignIn('user', user.email, PASSWORD, client()).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'locked' });
  });

  it('refuses even the right password while the account is over the sign-in limit, until the window ends', async () => {
    const user = await signedInUser();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i += 1) await incrementCounter(`signin:user:id:${user.id}`, SIGN_IN_WINDOW_SECONDS);

    const result = await reauthenticate(user, PASSWORD, client());

    expect(result).toMatchObject({ ok: false, code: 'locked', retryAfterSeconds: 890 });
    expect(!result.ok && result.message).toBe('Too many failed attempts for this account. Wait 15 minutes and try again, or use “Forgot password”.');
    expect(await isRecentlyReauthenticated(user)).toBe(false);

    advanceClock(SIGN_IN_WINDOW_SECONDS * 1000);
    expect(await reauthenticate(user, PASSWORD, client())).toMatchObject({ ok: true });
  });

  it('refuses every account from an IP over the sign-in limit', async () => {
    const user = await signedInUser();
    const who = client();
    for (let i = 0; i < IP_FAILURE_LIMIT; i += 1) await incrementCounter(`signin:ip:${who.ip}`, SIGN_IN_WINDOW_SECONDS);

    const result = await reauthenticate(user, PASSWORD, who);

    expect(result).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(!result.ok && result.message).toContain('Too many failed sign-ins from your network');
    expect(await reauthenticate(user, PASSWORD, client())).toMatchObject({ ok: true });
  });

  it('a success clears the account failures, like a sign-in', async () => {
    const user = await signedInUser();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT - 1; i += 1) await reauthenticate(user, 'wrong', client());
    expect(await reauthenticate(user, PASSWORD, client())).toMatchObject({ ok: true });
    expect(await reauthenticate(user, 'wrong', client())).toMatchObject({ code: 'invalid' });
    expect(await reauthenticate(user, PASSWORD, client())).toMatchObject({ ok: true });
  }, 30_000);

  it('does not mark a revoked session, nor another user’s', async () => {
    const user = await signedInUser();
    const stranger = await signedInUser();
    await getDb().update(schema.authSessions).set({ revokedAt: new Date() }).where(eq(schema.authSessions.id, user.sessionId));
    expect(await reauthenticate(user, PASSWORD, client())).toMatchObject({ ok: true });
    expect(await isRecentlyReauthenticated(user)).toBe(false);

    expect(await reauthenticate(stranger, PASSWORD, client())).toMatchObject({ ok: true });
    expect(await isRecentlyReauthenticated({ id: user.id, sessionId: stranger.sessionId })).toBe(false);
  });

  it('clearReauthentication ends the window at once', async () => {
    const user = await signedInUser();
    await reauthenticate(user, PASSWORD, client());
    await clearReauthentication(user);
    expect(await isRecentlyReauthenticated(user)).toBe(false);
  });

  it('a time in the future (clock moved back) does not count as recent', async () => {
    const user = await signedInUser();
    await reauthenticate(user, PASSWORD, client());
    advanceClock(-60_000);
    expect(await isRecentlyReauthenticated(user)).toBe(false);
  });
});
