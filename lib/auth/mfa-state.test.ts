import { desc, eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { advanceClock, resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { startChallenge, trustBrowser, verifyChallenge } from '@/lib/mfa';
import { hashPassword } from '@/lib/passwords';
import { ensureAccountSettings } from '@/lib/settings';
import { insertTestAdmin, insertTestUser } from '@/lib/testing/factories';
import { getChallengeStatus } from '@/lib/mfa';
import { describeVerifyProblem } from './mfa-messages';
import { readTrustedBrowserToken } from './mfa-state';
import { validateSession } from './sessions';
import { verifySignIn } from './sign-in';

const PASSWORD = 'Sw0rdfish-&-Tulips-9413';
let passwordHash: string;
let ipCounter = 0;
const client = () => ({ ip: `198.51.100.${++ipCounter}`, userAgent: 'Mozilla/5.0 (vitest)' });

async function setPolicy(mfaPolicy: 'off' | 'sms_required', mfaRememberDays = 0) {
  await ensureAccountSettings();
  await getDb().update(schema.accountSettings).set({ mfaPolicy, mfaRememberDays }).where(eq(schema.accountSettings.id, 1));
}

async function sessionState(id: string) {
  const [row] = await getDb().select({ mfaState: schema.authSessions.mfaState }).from(schema.authSessions).where(eq(schema.authSessions.id, id));
  return row!.mfaState;
}

/** A code that is certainly not the one last sent to the number (read from the dev outbox). */
async function wrongCodeFor(phone: string): Promise<string> {
  const o = schema.outbox;
  const [sms] = await getDb().select().from(o).where(eq(o.recipient, phone)).orderBy(desc(o.createdAt)).limit(1);
  const code = /\b(\d{6})\b/.exec(sms!.bodyText)![1]!;
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

async function signIn(user: { email: string }, trustedBrowserToken?: string) {
  return verifySignIn('user', user.email, PASSWORD, client(), { trustedBrowserToken });
}

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

beforeEach(async () => {
  setClock(new Date('2030-03-04T08:00:10.000Z'));
  await setPolicy('off');
});

afterEach(() => {
  resetClock();
});

describe('the session MFA state decided at the password step', () => {
  it("is 'none' while the policy is off, and the principal carries it", async () => {
    const user = await insertTestUser({ passwordHash });
    const result = await signIn(user);
    expect(result.mfaState).toBe('none');
    expect(await sessionState(result.sessionId)).toBe('none');
    const validation = await validateSession(result, 'user');
    expect(validation).toMatchObject({ ok: true, principal: { id: user.id, mfaState: 'none' } });
  });

  it("is 'pending' when the policy requires SMS, recorded on the session and in the sign-in event", async () => {
    await setPolicy('sms_required');
    const user = await insertTestUser({ passwordHash });
    const result = await signIn(user);
    expect(result.mfaState).toBe('pending');
    expect(await sessionState(result.sessionId)).toBe('pending');
    expect(await validateSession(result, 'user')).toMatchObject({ ok: true, principal: { mfaState: 'pending' } });
    const [event] = await getDb().select().from(schema.events).where(eq(schema.events.subjectUserId, user.id));
    expect(event).toMatchObject({ subType: 'User Sign-In', outcome: 'success', details: { sessionId: result.sessionId, mfaState: 'pending' } });
  });

  it("follows the user's override: 'required' with the policy off, 'exempt' with it on", async () => {
    const required = await insertTestUser({ passwordHash, mfaOverride: 'required' });
    const exempt = await insertTestUser({ passwordHash, mfaOverride: 'exempt' });
    expect((await signIn(required)).mfaState).toBe('pending');
    expect((await signIn(exempt)).mfaState).toBe('none');
    await setPolicy('sms_required');
    expect((await signIn(required)).mfaState).toBe('pending');
    expect((await signIn(exempt)).mfaState).toBe('none');
  });

  it("is 'passed' from a browser the user trusted, and 'pending' with a wrong, foreign or expired token", async () => {
    await setPolicy('sms_required', 7);
    const user = await insertTestUser({ passwordHash });
    const other = await insertTestUser({ passwordHash });
    const trusted = await trustBrowser(user.id, client());
    expect(trusted).not.toBeNull();
    expect((await signIn(user, trusted!.token)).mfaState).toBe('passed');
    expect((await signIn(user, `${trusted!.token}x`)).mfaState).toBe('pending');
    expect((await signIn(user)).mfaState).toBe('pending');
    expect((await signIn(other, trusted!.token)).mfaState).toBe('pending');
    advanceClock(8 * 24 * 3600 * 1000);
    expect((await signIn(user, trusted!.token)).mfaState).toBe('pending');
  });

  it('applies a policy change from the next sign-in: an open session keeps its state', async () => {
    await setPolicy('sms_required');
    const user = await insertTestUser({ passwordHash });
    const pending = await signIn(user);
    await setPolicy('off');
    expect(await validateSession(pending, 'user')).toMatchObject({ ok: true, principal: { mfaState: 'pending' } });
    expect((await signIn(user)).mfaState).toBe('none');
  });

  it('leaves the admin realm alone', async () => {
    await setPolicy('sms_required');
    const admin = await insertTestAdmin({ passwordHash });
    const result = await verifySignIn('admin', admin.email, PASSWORD, client());
    expect(result.mfaState).toBe('none');
    expect(await sessionState(result.sessionId)).toBe('none');
    const validation = await validateSession(result, 'admin');
    expect(validation.ok && validation.principal).not.toHaveProperty('mfaState');
  });
});

describe('the sign-in challenge as the verify page sees it', () => {
  it('reports no code, then an open code with the cooldown, then the attempts left, then an exhausted code', async () => {
    await setPolicy('sms_required');
    const user = await insertTestUser({ passwordHash, phoneE164: '+447400128750' });
    await getDb().insert(schema.mfaFactors).values({ userId: user.id, phoneE164: '+447400128750', verifiedAt: new Date('2030-01-01T00:00:00Z') });
    const session = await signIn(user);
    expect(await getChallengeStatus(session.sessionId, 'sign_in')).toMatchObject({ state: 'none', resendInSeconds: 0 });

    const who = client();
    const sent = await startChallenge({ userId: user.id, sessionId: session.sessionId, purpose: 'sign_in', client: who });
    expect(sent, JSON.stringify(sent)).toMatchObject({ ok: true });
    const open = await getChallengeStatus(session.sessionId, 'sign_in');
    expect(open).toMatchObject({ state: 'open', maskedPhone: '+44 •••• ••8750', attemptsLeft: 5, resendInSeconds: 30 });
    expect(JSON.stringify(open)).not.toContain('7400128750');
    // Another session sees nothing of it.
    const elsewhere = await signIn(user);
    expect((await getChallengeStatus(elsewhere.sessionId, 'sign_in')).state).toBe('none');

    advanceClock(12_000);
    expect((await getChallengeStatus(session.sessionId, 'sign_in')).resendInSeconds).toBe(18);
    const wrong = await wrongCodeFor('+447400128750');
    const verify = () => verifyChallenge({ userId: user.id, sessionId: session.sessionId, purpose: 'sign_in', code: wrong, client: who });
    expect((await verify()).ok).toBe(false);
    expect(await getChallengeStatus(session.sessionId, 'sign_in')).toMatchObject({ state: 'open', attemptsLeft: 4 });
    for (let i = 0; i < 4; i += 1) await verify();
    expect(await getChallengeStatus(session.sessionId, 'sign_in')).toMatchObject({ state: 'exhausted', attemptsLeft: 0 });
    advanceClock(10 * 60 * 1000);
    expect(await getChallengeStatus(session.sessionId, 'sign_in')).toMatchObject({ state: 'exhausted', resendInSeconds: 0 });
    expect(await sessionState(session.sessionId)).toBe('pending');
  });
});

describe('wording', () => {
  it('says how many attempts are left, and what to do next', () => {
    expect(describeVerifyProblem({ ok: false, problem: 'wrong_code', message: '', attemptsLeft: 4 })).toBe('That code is wrong. 4 attempts left.');
    expect(describeVerifyProblem({ ok: false, problem: 'wrong_code', message: '', attemptsLeft: 1 })).toBe('That code is wrong. 1 attempt left.');
    expect(describeVerifyProblem({ ok: false, problem: 'wrong_code', message: '', attemptsLeft: 0 })).toMatch(/Send a new code\.$/);
    expect(describeVerifyProblem({ ok: false, problem: 'too_many_attempts', message: '' })).toMatch(/Send a new code\.$/);
    expect(describeVerifyProblem({ ok: false, problem: 'locked', message: '' })).toMatch(/Contact your administrator/);
    expect(describeVerifyProblem({ ok: false, problem: 'ip_limit', message: 'Too many wrong codes from your network.' })).toBe(
      'Too many wrong codes from your network.',
    );
  });

  it('reads the trusted-browser cookie from a Cookie header', () => {
    expect(readTrustedBrowserToken('a=1; onramp_trusted_browser=tok%2Den; b=2')).toBe('tok-en');
    expect(readTrustedBrowserToken('onramp_trusted_browser_x=1')).toBeUndefined();
    expect(readTrustedBrowserToken(null)).toBeUndefined();
    expect(readTrustedBrowserToken('onramp_trusted_browser=')).toBeUndefined();
  });
});
