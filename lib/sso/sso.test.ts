import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { EVENT, type EventKind } from '@/lib/events';
import { insertTestUser } from '@/lib/testing/factories';
import { startOidcProvider, type TestOidcProvider } from '@/lib/testing/oidc-provider';
import { rememberSecretsForScan } from '@/lib/testing/scan-events-for-secrets';
import { describeSsoFailure, SSO_FAILURE_REASONS } from './failures';
import { issuerProblem, ssoSettingsSchema } from './schemas';
import { configureSso, SSO_ADMIN, SSO_CLIENT, ssoInput } from './testing';
import { completeSsoSignIn, getSsoSettings, getSsoSignInOptions, loadSsoConfig, saveSsoSettings, SsoRefusal, SsoSettingsError, testSsoProvider } from '.';

let idp: TestOidcProvider;
beforeAll(async () => {
  idp = await startOidcProvider({ redirectUris: ['http://127.0.0.1:3100/api/auth/callback/sso'] });
  rememberSecretsForScan(idp.clientSecret);
});
afterAll(() => idp?.stop());

async function newestEvent(kind: EventKind, subjectUserId?: string) {
  const e = schema.events;
  const rows = await getDb()
    .select()
    .from(e)
    .where(and(eq(e.type, kind.type), eq(e.subType, kind.subType)))
    .orderBy(desc(e.id))
    .limit(20);
  return subjectUserId === undefined ? rows[0] : rows.find((r) => r.subjectUserId === subjectUserId);
}

const tag = () => Math.random().toString(36).slice(2, 8);

describe('SSO settings', () => {
  it('accepts https issuers, and http only on loopback', () => {
    expect(issuerProblem('https://login.example.com/realms/staff')).toBeNull();
    expect(issuerProblem('http://127.0.0.1:4000')).toBeNull();
    expect(issuerProblem('http://login.example.com')).toMatch(/https/);
    expect(issuerProblem('https://login.example.com?x=1')).toMatch(/query/);
    expect(ssoSettingsSchema.safeParse({ providerName: 'X', issuerUrl: 'https://a.example', clientId: 'c', scopes: 'email' }).success).toBe(false);
  });

  it('stores the client secret sealed, never returns it, and records the change without its value', async () => {
    await saveSsoSettings(ssoInput(idp, { enabled: false }), SSO_ADMIN, SSO_CLIENT);
    const [row] = await getDb().select().from(schema.ssoSettings);
    expect(row!.clientSecretEncrypted).toBeTruthy();
    expect(row!.clientSecretEncrypted).not.toContain(idp.clientSecret);
    const dto = await getSsoSettings();
    expect(dto).toMatchObject({ configured: true, enabled: false, clientSecretSet: true, emailClaim: 'email', createUsers: false, requireSmsMfa: false });
    expect(JSON.stringify(dto)).not.toContain(idp.clientSecret);
    const event = await newestEvent(EVENT.ssoSettingsChanged);
    expect(event).toMatchObject({ actorType: 'admin', actorId: SSO_ADMIN.id });
    expect((event!.details as { changes: Record<string, unknown> }).changes.clientAuthentication).toMatchObject({ after: 'replaced' });
    expect(JSON.stringify(event!.details)).not.toContain(idp.clientSecret);
    expect(await loadSsoConfig()).toBeNull();
    expect(await getSsoSignInOptions()).toEqual({ enabled: false, providerName: 'Test IdP', allowPasswordSignIn: true });
  });

  it('switches on only when the discovery document passes; an empty secret keeps the stored one', async () => {
    await expect(saveSsoSettings(ssoInput({ ...idp, issuer: 'http://127.0.0.1:9' }, { clientSecret: '' }), SSO_ADMIN, SSO_CLIENT)).rejects.toThrow(SsoSettingsError);
    const config = await configureSso(idp, { clientSecret: '', allowPasswordSignIn: false });
    expect(config).toMatchObject({ enabled: true, issuerUrl: idp.issuer, clientSecret: idp.clientSecret });
    expect(await getSsoSignInOptions()).toEqual({ enabled: true, providerName: 'Test IdP', allowPasswordSignIn: false });
  });

  it('Test reports what the discovery document announced, and a clear error when the provider is down', async () => {
    const ok = await testSsoProvider(ssoInput(idp));
    expect(ok.ok).toBe(true);
    expect(ok.message).toContain('PKCE');
    expect(ok.found).toEqual(expect.arrayContaining([{ label: 'Issuer', value: idp.issuer }, { label: 'PKCE methods', value: 'S256' }]));
    const down = await testSsoProvider(ssoInput({ ...idp, issuer: 'http://127.0.0.1:9' }));
    expect(down).toMatchObject({ ok: false, message: expect.stringMatching(/Could not reach http:\/\/127\.0\.0\.1:9\/\.well-known\/openid-configuration/) });
    const wrongIssuer = await testSsoProvider(ssoInput({ ...idp, issuer: idp.issuer.replace('127.0.0.1', 'localhost') }));
    expect(wrongIssuer).toMatchObject({ ok: false, message: expect.stringContaining('names the issuer') });
  });
});

describe('SSO failure notices', () => {
  it('explain every reason in plain words, naming the provider where it matters', () => {
    const texts = SSO_FAILURE_REASONS.map((r) => describeSsoFailure(r, 'Okta'));
    expect(new Set(texts).size).toBe(SSO_FAILURE_REASONS.length);
    expect(describeSsoFailure('provider_unreachable', 'Okta')).toMatch(/^Okta could not be reached/);
    expect(describeSsoFailure('unknown_user', '')).toContain('your identity provider');
  });
});

describe('SSO sign-in matching', () => {
  const profileFor = (email: string, extra: Record<string, unknown> = {}) => ({ sub: `sub-${tag()}`, email, email_verified: true, ...extra });

  it('signs an active user in by the email claim, case-insensitively, and records SSO Sign-In', async () => {
    const config = await configureSso(idp);
    const user = await insertTestUser({ status: 'active' });
    const result = await completeSsoSignIn(config, profileFor(user.email.toUpperCase()), SSO_CLIENT);
    expect(result).toMatchObject({ realm: 'user', principalId: user.id, mfaState: 'none' });
    const [session] = await getDb().select().from(schema.authSessions).where(eq(schema.authSessions.id, result.sessionId));
    expect(session).toBeDefined();
    expect(await newestEvent(EVENT.ssoSignIn, user.id)).toMatchObject({ outcome: 'success', actorType: 'user', ip: SSO_CLIENT.ip, details: { sessionId: result.sessionId, issuer: idp.issuer } });
  });

  it('activates an invited user on the first SSO sign-in', async () => {
    const config = await configureSso(idp);
    const user = await insertTestUser({ status: 'invited', passwordHash: null });
    await completeSsoSignIn(config, profileFor(user.email), SSO_CLIENT);
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, user.id));
    expect(row).toMatchObject({ status: 'active', activatedAt: expect.any(Date) });
    expect(await newestEvent(EVENT.ssoActivated, user.id)).toMatchObject({ outcome: 'success', details: { email: user.email } });
  });

  it('refuses a disabled user, an unverified email, a missing email and an unknown user (create off), recording each', async () => {
    const config = await configureSso(idp);
    const disabled = await insertTestUser({ status: 'disabled' });
    await expect(completeSsoSignIn(config, profileFor(disabled.email), SSO_CLIENT)).rejects.toMatchObject({ reason: 'disabled' });
    expect(await newestEvent(EVENT.ssoSignIn, disabled.id)).toMatchObject({ outcome: 'failure', details: { reason: 'disabled' } });
    const active = await insertTestUser({ status: 'active' });
    await expect(completeSsoSignIn(config, profileFor(active.email, { email_verified: false }), SSO_CLIENT)).rejects.toMatchObject({ reason: 'email_not_verified' });
    await expect(completeSsoSignIn(config, { sub: 'x' }, SSO_CLIENT)).rejects.toMatchObject({ reason: 'missing_email' });
    const email = `nobody.${tag()}@example.org`;
    await expect(completeSsoSignIn(config, profileFor(email), SSO_CLIENT)).rejects.toBeInstanceOf(SsoRefusal);
    expect(await newestEvent(EVENT.ssoSignIn)).toMatchObject({ outcome: 'failure', actorType: 'anonymous', actorLabel: email, details: { reason: 'unknown_user', email } });
    expect(await getDb().select().from(schema.users).where(eq(schema.users.email, email))).toEqual([]);
  });

  it('creates an unknown user when "create users" is on, with the username claim', async () => {
    const config = await configureSso(idp, { createUsers: true });
    const t = tag();
    const result = await completeSsoSignIn(config, profileFor(`new.${t}@example.org`, { preferred_username: `new_${t}`, given_name: 'Nova' }), SSO_CLIENT);
    const [row] = await getDb().select().from(schema.users).where(eq(schema.users.id, result.principalId));
    expect(row).toMatchObject({ email: `new.${t}@example.org`, username: `new_${t}`, firstName: 'Nova', status: 'active' });
    expect(await newestEvent(EVENT.ssoUserCreated, row!.id)).toMatchObject({ outcome: 'success', details: { username: `new_${t}` } });
    await expect(completeSsoSignIn(config, profileFor(`other.${t}@example.org`, { preferred_username: `new_${t}` }), SSO_CLIENT)).rejects.toMatchObject({ reason: 'username_taken' });
    await configureSso(idp, { createUsers: false });
  });

  it('asks for the SMS code after SSO only when the setting is on and the user must use MFA', async () => {
    const config = await configureSso(idp, { requireSmsMfa: true });
    const user = await insertTestUser({ status: 'active', mfaOverride: 'required', phoneE164: '+447400123999', phoneStatus: 'ok' });
    const result = await completeSsoSignIn(config, profileFor(user.email), SSO_CLIENT);
    expect(result.mfaState).toBe('pending');
    const off = await configureSso(idp, { requireSmsMfa: false });
    expect((await completeSsoSignIn(off, profileFor(user.email), SSO_CLIENT)).mfaState).toBe('none');
  });
});
