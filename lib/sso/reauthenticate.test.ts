import { and, desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { isRecentlyReauthenticated, REAUTHENTICATION_VALID_SECONDS } from '@/lib/auth/reauthenticate';
import { advanceClock, now, resetClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT } from '@/lib/events';
import { insertTestSession } from '@/lib/mfa/testing';
import { insertTestUser } from '@/lib/testing/factories';
import { startOidcProvider, type TestOidcProvider } from '@/lib/testing/oidc-provider';
import { rememberSecretsForScan } from '@/lib/testing/scan-events-for-secrets';
import { describeSsoReauthFailure, SSO_REAUTH_FAILURES } from './reauth-failures';
import { chooseReauthenticationMethod, confirmSsoReauthentication, getReauthenticationMethod, saveSsoSettings, SSO_REAUTH_MAX_AGE_SECONDS } from '.';
import { configureSso, SSO_ADMIN, SSO_CLIENT, ssoInput } from './testing';

let idp: TestOidcProvider;
beforeAll(async () => {
  idp = await startOidcProvider({ redirectUris: ['http://127.0.0.1:3100/api/auth/callback/sso'] });
  rememberSecretsForScan(idp.clientSecret);
});
afterAll(() => idp?.stop());
afterEach(() => resetClock());

const seconds = () => Math.floor(now().getTime() / 1000);

async function signedInUser(overrides: Partial<typeof schema.users.$inferInsert> = {}) {
  const user = await insertTestUser({ status: 'active', passwordHash: null, ...overrides });
  const sessionId = await insertTestSession(user.id, { mfaState: 'passed' });
  return { id: user.id, email: user.email, sessionId };
}

async function newestReauthEvent(userId: string) {
  const e = schema.events;
  const [row] = await getDb()
    .select()
    .from(e)
    .where(and(eq(e.type, EVENT.ssoReauthenticated.type), eq(e.subType, EVENT.ssoReauthenticated.subType), eq(e.subjectUserId, userId)))
    .orderBy(desc(e.id))
    .limit(1);
  return row;
}

describe('which re-authentication /account/2fa asks for', () => {
  const sso = { enabled: true, providerName: 'Okta', allowPasswordSignIn: true };
  it('decides from the password and the SSO settings', () => {
    expect(chooseReauthenticationMethod(true, sso)).toEqual({ method: 'password' });
    expect(chooseReauthenticationMethod(false, sso)).toEqual({ method: 'sso', providerName: 'Okta' });
    expect(chooseReauthenticationMethod(true, { ...sso, allowPasswordSignIn: false })).toEqual({ method: 'sso', providerName: 'Okta' });
    expect(chooseReauthenticationMethod(false, { ...sso, enabled: false })).toEqual({ method: 'unavailable' });
    expect(chooseReauthenticationMethod(true, { ...sso, enabled: false })).toEqual({ method: 'password' });
  });

  it('reads the user and the stored settings', async () => {
    await configureSso(idp, { allowPasswordSignIn: true });
    const withPassword = await insertTestUser({ passwordHash: 'stored-hash' });
    const without = await insertTestUser({ passwordHash: null });
    expect(await getReauthenticationMethod(withPassword.id)).toEqual({ method: 'password' });
    expect(await getReauthenticationMethod(without.id)).toEqual({ method: 'sso', providerName: 'Test IdP' });
    await configureSso(idp, { clientSecret: '', allowPasswordSignIn: false });
    expect(await getReauthenticationMethod(withPassword.id)).toEqual({ method: 'sso', providerName: 'Test IdP' });
    await saveSsoSettings(ssoInput(idp, { enabled: false, clientSecret: '' }), SSO_ADMIN, SSO_CLIENT);
    expect(await getReauthenticationMethod(without.id)).toEqual({ method: 'unavailable' });
    expect(await getReauthenticationMethod(withPassword.id)).toEqual({ method: 'password' });
  });
});

describe('confirming a re-authentication at the identity provider', () => {
  it('marks the session re-authenticated like a password (same column, same window) and records it', async () => {
    const config = await configureSso(idp);
    const user = await signedInUser();
    expect(await isRecentlyReauthenticated(user)).toBe(false);
    const result = await confirmSsoReauthentication(config, user, { sub: 'alice', email: user.email.toUpperCase(), email_verified: true, auth_time: seconds() - 5 }, SSO_CLIENT);
    expect(result).toEqual({ ok: true, validUntil: expect.any(Date) });
    const [session] = await getDb().select().from(schema.authSessions).where(eq(schema.authSessions.id, user.sessionId));
    expect(session!.reauthenticatedAt).toBeInstanceOf(Date);
    if (result.ok) expect(result.validUntil.getTime() - session!.reauthenticatedAt!.getTime()).toBe(REAUTHENTICATION_VALID_SECONDS * 1000);
    expect(await isRecentlyReauthenticated(user)).toBe(true);
    expect(await newestReauthEvent(user.id)).toMatchObject({
      outcome: 'success',
      actorType: 'user',
      actorId: user.id,
      ip: SSO_CLIENT.ip,
      details: { sessionId: user.sessionId, issuer: idp.issuer, subject: 'alice' },
    });
    advanceClock((REAUTHENTICATION_VALID_SECONDS + 1) * 1000);
    expect(await isRecentlyReauthenticated(user)).toBe(false);
  });

  it('refuses another account at the provider, or an unverified email, and records the mismatch', async () => {
    const config = await configureSso(idp);
    const user = await signedInUser();
    const other = await confirmSsoReauthentication(config, user, { sub: 'mallory', email: 'mallory@example.org', auth_time: seconds() }, SSO_CLIENT);
    expect(other).toEqual({ ok: false, reason: 'account_mismatch' });
    expect(await newestReauthEvent(user.id)).toMatchObject({ outcome: 'failure', details: { reason: 'account_mismatch', email: 'mallory@example.org', subject: 'mallory' } });
    const unverified = await confirmSsoReauthentication(config, user, { sub: 'x', email: user.email, email_verified: false, auth_time: seconds() }, SSO_CLIENT);
    expect(unverified).toEqual({ ok: false, reason: 'account_mismatch' });
    expect(await confirmSsoReauthentication(config, user, { sub: 'x', auth_time: seconds() }, SSO_CLIENT)).toEqual({ ok: false, reason: 'account_mismatch' });
    expect(await isRecentlyReauthenticated(user)).toBe(false);
  });

  it('refuses a sign-in at the provider that is not recent (no auth_time, older than 5 minutes, or in the future)', async () => {
    const config = await configureSso(idp);
    const user = await signedInUser();
    const claims = { sub: 'alice', email: user.email };
    expect(await confirmSsoReauthentication(config, user, claims, SSO_CLIENT)).toEqual({ ok: false, reason: 'not_recent' });
    expect(await confirmSsoReauthentication(config, user, { ...claims, auth_time: seconds() - SSO_REAUTH_MAX_AGE_SECONDS - 5 }, SSO_CLIENT)).toEqual({ ok: false, reason: 'not_recent' });
    expect(await confirmSsoReauthentication(config, user, { ...claims, auth_time: seconds() + 3600 }, SSO_CLIENT)).toEqual({ ok: false, reason: 'not_recent' });
    expect(await newestReauthEvent(user.id)).toMatchObject({ outcome: 'failure', details: { reason: 'not_recent' } });
    expect(await isRecentlyReauthenticated(user)).toBe(false);
    expect((await confirmSsoReauthentication(config, user, { ...claims, auth_time: seconds() - SSO_REAUTH_MAX_AGE_SECONDS + 10 }, SSO_CLIENT)).ok).toBe(true);
  });

  it('does not mark a revoked session', async () => {
    const config = await configureSso(idp);
    const user = await signedInUser();
    await getDb().update(schema.authSessions).set({ revokedAt: now() }).where(eq(schema.authSessions.id, user.sessionId));
    await confirmSsoReauthentication(config, user, { sub: 'alice', email: user.email, auth_time: seconds() }, SSO_CLIENT);
    expect(await isRecentlyReauthenticated(user)).toBe(false);
  });

  it('explains every refusal in plain words', () => {
    const texts = SSO_REAUTH_FAILURES.map((r) => describeSsoReauthFailure(r, 'Okta'));
    expect(new Set(texts).size).toBe(SSO_REAUTH_FAILURES.length);
    expect(describeSsoReauthFailure('account_mismatch', 'Okta')).toContain('different account');
  });
});
