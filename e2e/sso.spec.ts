import { expect, test, type Page } from '@playwright/test';
import { startOidcProvider, type TestOidcProvider } from '../lib/testing/oidc-provider';
import { ADMIN, createUser, db, expectAccessible, signInAdmin, signInUser } from './support/fixtures';

/*
 * Issue 8: single sign-on through a real OpenID Connect provider (oidc-provider on loopback, with its
 * own login and consent pages). SSO settings live in the shared e2e database: every test here starts
 * from the settings the first one saves, and the row is removed afterwards so other specs see the
 * password-only sign-in page.
 */

const PROVIDER = 'Test IdP';
let idp: TestOidcProvider;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  idp = await startOidcProvider({
    redirectUris: ['http://127.0.0.1:3100/api/auth/callback/sso', 'http://127.0.0.1:3101/api/auth/callback/sso'],
  });
});

test.afterAll(async () => {
  await db()`delete from sso_settings`;
  await idp?.stop();
});

/** Signs in on the provider's own pages (any password; the login is the account id), then consents. */
async function signInAtProvider(page: Page, accountId: string) {
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(accountId);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The sign-in page's SSO failure notice (not Next.js's route announcer, also a role=alert). */
const ssoNotice = (page: Page) => page.locator('main [role="alert"]');

async function startSso(page: Page) {
  await page.goto('/login');
  await page.getByRole('button', { name: `Sign in with ${PROVIDER}` }).click();
}

async function ssoEvents(email: string) {
  return db()`select sub_type, outcome, details from events where type in ('Authentication', 'User') and sub_type like '%SSO%' and (actor_label = ${email} or details->>'email' = ${email}) order by id`;
}

const account = (email: string) => {
  const id = `acct-${Math.random().toString(36).slice(2, 10)}`;
  idp.setAccount(id, { email, email_verified: true, preferred_username: id });
  return id;
};

test('an admin configures single sign-on: Test reads the discovery document, switching on saves; axe and keyboard', async ({ page }) => {
  await signInAdmin(page, ADMIN);
  await page.getByRole('link', { name: 'Single Sign-On' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Single Sign-On' })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Provider name').fill(PROVIDER);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Issuer URL')).toBeFocused();
  await page.keyboard.type(idp.issuer);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Client id')).toBeFocused();
  await page.keyboard.type(idp.clientId);
  await page.getByLabel('Client secret').fill(idp.clientSecret);
  await page.getByRole('button', { name: 'Test provider' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Found the provider' })).toContainText(`Found the provider at ${idp.issuer}`);
  await expect(page.getByText('S256', { exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Single sign-on is on').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Single sign-on settings saved.')).toBeVisible();
  await expect(page.getByLabel('Client secret')).toHaveValue('');
  const [row] = await db()`select enabled, client_secret_encrypted from sso_settings`;
  expect(row!.enabled).toBe(true);
  expect(row!.client_secret_encrypted).not.toContain(idp.clientSecret);

  // Invitations are still on (the default): the provisioning page explains why to turn them off.
  await page.getByRole('link', { name: 'User Provisioning' }).click();
  await expect(page.getByRole('note', { name: 'Invitations and single sign-on' })).toContainText('first sign-in activates their account');
  await expectAccessible(page);
});

test('an invited user activates by signing in through the identity provider (keyboard from the sign-in page)', async ({ page }) => {
  const user = await createUser({ status: 'invited', firstName: 'Ines', lastName: 'Invited' });
  const id = account(user.email.toUpperCase());
  await page.goto('/login');
  await expectAccessible(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: `Sign in with ${PROVIDER}` })).toBeFocused();
  await page.keyboard.press('Enter');
  await signInAtProvider(page, id);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Ines Invited' }), `provider refusals: ${idp.refusals.join(' | ')}`).toBeVisible();
  const [row] = await db()`select status, activated_at from users where id = ${user.id}`;
  expect(row).toMatchObject({ status: 'active', activated_at: expect.any(Date) });
  const events = await ssoEvents(user.email);
  expect(events.map((e) => `${e.sub_type}:${e.outcome}`)).toEqual(['Activated by SSO:success', 'SSO Sign-In:success']);
});

test('an unknown user is refused (create users is off), with a clear message and an event', async ({ page }) => {
  const email = `nobody.${Date.now()}@example.org`;
  await startSso(page);
  await signInAtProvider(page, account(email));
  await expect(page).toHaveURL(/\/login\?sso_error=unknown_user/);
  await expect(ssoNotice(page)).toContainText('There is no VPN account for the email address');
  await expectAccessible(page);
  expect((await ssoEvents(email)).map((e) => [e.outcome, e.details.reason])).toEqual([['failure', 'unknown_user']]);
  expect(await db()`select id from users where lower(email) = ${email}`).toHaveLength(0);
});

test('a disabled user is refused', async ({ page }) => {
  const user = await createUser({ status: 'disabled' });
  await startSso(page);
  await signInAtProvider(page, account(user.email));
  await expect(page).toHaveURL(/\/login\?sso_error=disabled/);
  await expect(ssoNotice(page)).toContainText('This account is disabled.');
  expect((await ssoEvents(user.email)).map((e) => e.details.reason)).toEqual(['disabled']);
});

test('cancelling at the provider is refused with the provider\'s error recorded', async ({ page }) => {
  await startSso(page);
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.getByRole('link', { name: '[ Cancel ]' }).click();
  await expect(page).toHaveURL(/\/login\?sso_error=provider_error/);
  await expect(ssoNotice(page)).toContainText('did not sign you in');
  const [event] = await db()`select outcome, details from events where sub_type = 'SSO Sign-In' order by id desc limit 1`;
  expect(event).toMatchObject({ outcome: 'failure', details: { reason: 'provider_error', providerError: 'access_denied' } });
});

test('a tampered state is refused', async ({ page }) => {
  const user = await createUser();
  // The provider returns the state it receives: change it on the way there (the callback arrives by redirect, which routes can't see).
  await page.route(`${idp.issuer}/auth?*`, (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set('state', `${url.searchParams.get('state')}x`);
    return route.continue({ url: url.toString() });
  });
  await startSso(page);
  await signInAtProvider(page, account(user.email));
  await expect(page).toHaveURL(/\/login\?sso_error=invalid_response/);
  await expect(ssoNotice(page)).toContainText('could not be verified');
  const [event] = await db()`select outcome, details from events where sub_type = 'SSO Sign-In' order by id desc limit 1`;
  expect(event).toMatchObject({ outcome: 'failure', details: { reason: 'invalid_response' } });
  expect(String(event!.details.message)).toMatch(/state/i);
  const [session] = await db()`select count(*)::int as n from auth_sessions where principal_id = ${user.id}`;
  expect(session!.n).toBe(0);
});

test('a tampered nonce is refused', async ({ page }) => {
  const user = await createUser();
  // The provider puts the nonce it receives into the id token: change it on the way there.
  await page.route(`${idp.issuer}/auth?*`, (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set('nonce', 'tampered-nonce');
    return route.continue({ url: url.toString() });
  });
  await startSso(page);
  await signInAtProvider(page, account(user.email));
  await expect(page).toHaveURL(/\/login\?sso_error=invalid_response/);
  const [event] = await db()`select outcome, details from events where sub_type = 'SSO Sign-In' order by id desc limit 1`;
  expect(event).toMatchObject({ outcome: 'failure', details: { reason: 'invalid_response' } });
  expect(String(event!.details.message)).toMatch(/nonce/i);
});

test('with password sign-in off, users see only the SSO button and admins keep their password', async ({ page }) => {
  await db()`update sso_settings set allow_password_sign_in = false`;
  await page.goto('/login');
  await expect(page.getByRole('button', { name: `Sign in with ${PROVIDER}` })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Forgot password?' })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/forgot-password');
  await expect(page.getByText(`You sign in with ${PROVIDER}`)).toBeVisible();
  await signInAdmin(page, ADMIN);
  await expect(page).toHaveURL(/\/admin$/);
  await db()`update sso_settings set allow_password_sign_in = true`;
});

/** The provider's login again (prompt=login); its consent page only when it asks again. */
async function signInAgainAtProvider(page: Page, accountId: string) {
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await expect(page.locator('input[name="login"]')).toBeVisible();
  await page.locator('input[name="login"]').fill(accountId);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await expect(consent.or(page.getByRole('heading', { level: 1, name: 'Change your 2FA phone number' }))).toBeVisible();
  if (page.url().startsWith(idp.issuer)) await consent.click();
}

/** A user activated by SSO (no Onramp password) with an enrolled SMS factor, signed in through the provider. */
async function ssoUserWithFactor(page: Page, phone: string) {
  const user = await createUser({ status: 'invited', firstName: 'Sid', lastName: 'Sso' });
  await db()`update users set password_hash = null where id = ${user.id}`;
  await db()`insert into mfa_factors (user_id, phone_e_164, verified_at) values (${user.id}, ${phone}, now())`;
  const id = account(user.email);
  await startSso(page);
  await signInAtProvider(page, id);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Sid Sso' }), `provider refusals: ${idp.refusals.join(' | ')}`).toBeVisible();
  return { user, id };
}

const ukMobile = () => `+447400${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;

async function startChange(page: Page) {
  await page.goto('/account/2fa?flow=change');
  await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 3: Confirm it is you' })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
}

test('a user without a password changes their 2FA number by confirming with the provider (prompt=login, max_age=0); keyboard and axe', async ({ page }) => {
  const oldPhone = ukMobile();
  const newPhone = ukMobile();
  const { user, id } = await ssoUserWithFactor(page, oldPhone);
  await startChange(page);
  await expectAccessible(page);
  const confirm = page.getByRole('button', { name: `Confirm with ${PROVIDER}` });
  await expect(confirm).toBeFocused();
  const authorization = page.waitForRequest((r) => r.url().startsWith(`${idp.issuer}/auth?`));
  await page.keyboard.press('Enter');
  const params = new URL((await authorization).url()).searchParams;
  expect({ prompt: params.get('prompt'), maxAge: params.get('max_age') }).toEqual({ prompt: 'login', maxAge: '0' });
  // The provider asks for the login again although this browser is signed in there.
  await signInAgainAtProvider(page, id);

  await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 3: Your new mobile number' })).toBeVisible();
  await expect(page).toHaveURL(/\/account\/2fa\?flow=change&step=number/);
  await expectAccessible(page);
  const [session] = await db()`select reauthenticated_at from auth_sessions where principal_id = ${user.id} and revoked_at is null order by created_at desc limit 1`;
  expect(session!.reauthenticated_at).toEqual(expect.any(Date));
  const [confirmed] = await db()`select outcome, details from events where sub_type = 'SSO Re-Authentication' and subject_user_id = ${user.id}`;
  expect(confirmed).toMatchObject({ outcome: 'success', details: { subject: id, issuer: idp.issuer } });

  await page.getByLabel('Phone number country').selectOption('GB');
  await page.getByLabel('New mobile number').fill(`0${newPhone.slice(3)}`);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Step 3 of 3: Enter the code' })).toBeVisible();
  await expect.poll(async () => (await db()`select count(*)::int as n from outbox where channel = 'sms' and recipient = ${newPhone}`)[0]!.n, { timeout: 15_000 }).toBe(1);
  const [sms] = await db()`select body_text from outbox where channel = 'sms' and recipient = ${newPhone}`;
  const code = /\b(\d{6})\b/.exec(sms!.body_text as string)![1]!;
  await page.getByLabel('Code from the text message').fill(code);
  await page.getByRole('button', { name: 'Change number' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your 2FA phone number was changed.' })).toBeVisible();
  const [factor] = await db()`select phone_e_164 from mfa_factors where user_id = ${user.id}`;
  expect(factor!.phone_e_164).toBe(newPhone);
});

test('confirming with a different account at the provider is refused with a clear message and an event', async ({ page }) => {
  const phone = ukMobile();
  const { user } = await ssoUserWithFactor(page, phone);
  const other = account(`someone.else.${Date.now()}@example.org`);
  await startChange(page);
  await page.getByRole('button', { name: `Confirm with ${PROVIDER}` }).click();
  await signInAgainAtProvider(page, other);
  await expect(page).toHaveURL(/\/account\/2fa\?flow=change&step=password&sso_error=account_mismatch/);
  await expect(page.locator('main [role="alert"]')).toContainText('different account');
  await expect(page.getByRole('button', { name: `Confirm with ${PROVIDER}` })).toBeVisible();
  await expectAccessible(page);
  const [refused] = await db()`select outcome, details from events where sub_type = 'SSO Re-Authentication' and subject_user_id = ${user.id}`;
  expect(refused).toMatchObject({ outcome: 'failure', details: { reason: 'account_mismatch', subject: other } });
  const [session] = await db()`select reauthenticated_at from auth_sessions where principal_id = ${user.id} and revoked_at is null`;
  expect(session!.reauthenticated_at).toBeNull();
  // Still refused further on: the next step sends back to step 1.
  await page.goto('/account/2fa?flow=change&step=number');
  await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 3: Confirm it is you' })).toBeVisible();
  const [factor] = await db()`select phone_e_164 from mfa_factors where user_id = ${user.id}`;
  expect(factor!.phone_e_164).toBe(phone);
});

test('a user with a password keeps the password re-authentication', async ({ page }) => {
  const user = await createUser();
  await db()`insert into mfa_factors (user_id, phone_e_164, verified_at) values (${user.id}, ${ukMobile()}, now())`;
  await signInUser(page, user);
  await page.goto('/account/2fa?flow=change');
  await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 3: Confirm your password' })).toBeVisible();
  await expect(page.getByRole('button', { name: `Confirm with ${PROVIDER}` })).toHaveCount(0);
});

test('the provider down gives a clear error page', async ({ page }) => {
  await idp.stop();
  await startSso(page);
  await expect(page).toHaveURL(/\/login\?sso_error=provider_unreachable/);
  await expect(ssoNotice(page)).toContainText(`${PROVIDER} could not be reached`);
  await expectAccessible(page);
  const [event] = await db()`select outcome, details from events where sub_type = 'SSO Sign-In' order by id desc limit 1`;
  expect(event).toMatchObject({ outcome: 'failure', details: { reason: 'provider_unreachable' } });
});
