import { expect, test, type Page } from '@playwright/test';
import { createUser, db, enrolUser, expectAccessible, latestSmsCode, smsTo, type TestUser } from './support/fixtures';

/**
 * SMS two-factor at sign-in: forced enrolment with a number picked from the country list, the code
 * challenge for enrolled users, wrong codes, the resend cooldown, "remember this device", and a
 * directory user's read-only number. Codes are read from the dev outbox (no Twilio in e2e).
 * Most tests require MFA per user (users.mfa_override); the ones that need the account settings
 * restore them afterwards, so other specs sign in without a code.
 */

/**
 * A fresh UK mobile number (07400 12xxxx), as E.164, typed nationally, and masked. The counter starts
 * from the clock, so the two projects of one run (minutes apart) never share a number, and a test
 * never reads another test's code.
 */
let phoneCounter = Math.floor(Date.now() / 1000) % 10_000;
function ukMobile(): { e164: string; national: string; masked: string } {
  phoneCounter = (phoneCounter + 1) % 10_000;
  const tail = String(phoneCounter).padStart(4, '0');
  return { e164: `+44740012${tail}`, national: `07400 12${tail}`, masked: `+44 •••• ••${tail}` };
}

async function requireMfa(user: TestUser) {
  await db()`update users set mfa_override = 'required' where id = ${user.id}`;
}

async function setSettings(policy: 'off' | 'sms_required', rememberDays = 0) {
  await db()`update account_settings set mfa_policy = ${policy}, mfa_remember_days = ${rememberDays} where id = 1`;
}

async function passwordStep(page: Page, user: TestUser) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const codeField = (page: Page) => page.getByLabel('Verification code');
const verifyHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Enter your verification code' });
const welcome = (page: Page) => page.getByRole('heading', { level: 1, name: /^Welcome/ });

/** Lets the session ask for another code now, as if the 30 s cooldown had passed. */
async function endCooldown(userId: string) {
  await db()`update mfa_challenges set created_at = created_at - interval '31 seconds' where user_id = ${userId}`;
}

test.describe('SMS two-factor at sign-in', () => {
  // Every e2e SMS comes from 127.0.0.1: lift the per-IP send cap for this file, and put it back after.
  let sendsPerIp = 20;
  test.beforeAll(async () => {
    const [row] = await db()`select sms_sends_per_ip_per_hour from account_settings where id = 1`;
    sendsPerIp = row!.sms_sends_per_ip_per_hour as number;
    await db()`update account_settings set sms_sends_per_ip_per_hour = 10000 where id = 1`;
  });
  test.afterAll(async () => {
    await db()`update account_settings set sms_sends_per_ip_per_hour = ${sendsPerIp} where id = 1`;
  });
  test.afterEach(async () => {
    await setSettings('off', 0);
  });

  test('the policy forces enrolment: the number is picked from the country list, the code comes by SMS, and nothing else is reachable before', async ({ page }) => {
    await setSettings('sms_required');
    const user = await createUser({ firstName: 'Enzo', lastName: 'Enrol' });
    const phone = ukMobile();
    await passwordStep(page, user);

    await expect(page).toHaveURL(/\/login\/verify$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Extra verification is required for your account' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Text Message Code' })).toBeVisible();
    await expectAccessible(page);

    // Until the code is passed, no portal page is reachable.
    for (const path of ['/', '/account/password']) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/login\/verify$/);
    }

    await page.getByRole('link', { name: /Setup/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Set up text message codes' })).toBeVisible();
    await expectAccessible(page);

    // A landline is refused next to the field, in plain words, and what was typed stays.
    await page.getByLabel('Phone number country').selectOption('GB');
    await page.getByLabel('Mobile number').fill('020 7946 0018');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.locator('#field-phone-error')).toBeVisible();
    await expect(page.getByLabel('Mobile number')).toHaveValue(/020 7946 0018/);
    await expect(page.getByLabel('Phone number country')).toHaveValue('GB');
    await expectAccessible(page);
    expect(await smsTo('+442079460018')).toHaveLength(0);

    await page.getByLabel('Mobile number').fill(phone.national);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(verifyHeading(page)).toBeVisible();
    await expect(page.getByText(`We sent a code to ${phone.masked}.`)).toBeVisible();
    await expectAccessible(page);

    await codeField(page).fill(await latestSmsCode(phone.e164));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(welcome(page)).toBeVisible();
    const [factor] = await db()`select phone_e_164, verified_at from mfa_factors where user_id = ${user.id}`;
    expect(factor).toMatchObject({ phone_e_164: phone.e164 });
    expect(factor!.verified_at).not.toBeNull();
    const [session] = await db()`select mfa_state from auth_sessions where principal_id = ${user.id} order by created_at desc limit 1`;
    expect(session!.mfa_state).toBe('passed');

    // A passed session visiting the verify page goes on to the portal.
    await page.goto('/login/verify');
    await expect(welcome(page)).toBeVisible();
  });

  test('an enrolled user gets one code after the password, with the masked number; a refresh sends no other', async ({ page }) => {
    const user = await createUser();
    const phone = ukMobile();
    await requireMfa(user);
    await enrolUser(user.id, phone.e164);
    await passwordStep(page, user);

    await expect(verifyHeading(page)).toBeVisible();
    await expect(page.getByText(`We sent a code to ${phone.masked}.`)).toBeVisible();
    await expect(codeField(page)).toHaveAttribute('inputmode', 'numeric');
    await expect(codeField(page)).toHaveAttribute('autocomplete', 'one-time-code');
    await expectAccessible(page);
    const code = await latestSmsCode(phone.e164);

    await page.reload();
    await expect(verifyHeading(page)).toBeVisible();
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\/verify$/);
    expect(await smsTo(phone.e164)).toHaveLength(1);

    await codeField(page).fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(welcome(page)).toBeVisible();
  });

  test('five wrong codes end that code; a new one must be sent', async ({ page }) => {
    const user = await createUser();
    const phone = ukMobile();
    await requireMfa(user);
    await enrolUser(user.id, phone.e164);
    await passwordStep(page, user);
    await expect(verifyHeading(page)).toBeVisible();
    const code = await latestSmsCode(phone.e164);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

    for (const left of [4, 3, 2, 1]) {
      await codeField(page).fill(wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect(page.getByText(`That code is wrong. ${left} attempt${left === 1 ? '' : 's'} left.`)).toBeVisible();
    }
    await expectAccessible(page);
    await codeField(page).fill(wrong);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByText(/Send a new code\./)).toBeVisible();
    // Even the right code no longer works.
    await codeField(page).fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByText(/Send a new code\./)).toBeVisible();
    await expect(welcome(page)).toHaveCount(0);

    await endCooldown(user.id);
    await page.reload();
    await expect(page.getByText(`The last code was entered wrongly too many times. Send a new code to ${phone.masked}.`)).toBeVisible();
    await expect(codeField(page)).toHaveCount(0);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Resend code' }).click();
    await expect(page.getByText(`We sent a code to ${phone.masked}.`)).toBeVisible();
    await codeField(page).fill(await latestSmsCode(phone.e164, 2));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(welcome(page)).toBeVisible();
  });

  test('Resend waits out the 30-second cooldown with a visible countdown, then sends a new code that replaces the old', async ({ page }) => {
    test.setTimeout(90_000);
    const user = await createUser();
    const phone = ukMobile();
    await requireMfa(user);
    await enrolUser(user.id, phone.e164);
    await passwordStep(page, user);
    await expect(verifyHeading(page)).toBeVisible();
    const first = await latestSmsCode(phone.e164);

    const resend = page.getByRole('button', { name: 'Resend code' });
    await expect(resend).toBeDisabled();
    await expect(page.getByText(/^Available in \d+ seconds?\.$/)).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /You can ask for a new code in \d+ seconds\./ })).toBeAttached();
    await expectAccessible(page);

    // The real wait: the button comes alive when the server's cooldown ends.
    await expect(resend).toBeEnabled({ timeout: 40_000 });
    await expect(page.getByRole('status').filter({ hasText: 'You can ask for a new code now.' })).toBeAttached();
    await resend.click();
    await expect.poll(async () => (await smsTo(phone.e164)).length).toBe(2);
    await expect(page.getByRole('button', { name: 'Resend code' })).toBeDisabled();
    const second = await latestSmsCode(phone.e164, 2);

    if (second !== first) {
      await codeField(page).fill(first);
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect(page.locator('#field-code-error')).toBeVisible();
    }
    await codeField(page).fill(second);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(welcome(page)).toBeVisible();
  });

  test('"Remember this device" skips the code at the next sign-in from this browser only', async ({ page, browser, baseURL }) => {
    await setSettings('off', 7);
    const user = await createUser();
    const phone = ukMobile();
    await requireMfa(user);
    await enrolUser(user.id, phone.e164);
    await passwordStep(page, user);
    await expect(verifyHeading(page)).toBeVisible();
    const remember = page.getByLabel('Remember this device for 7 days');
    await expectAccessible(page);
    await remember.check();
    await codeField(page).fill(await latestSmsCode(phone.e164));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(welcome(page)).toBeVisible();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'onramp_trusted_browser')).toMatchObject({ httpOnly: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await passwordStep(page, user);
    await expect(welcome(page)).toBeVisible();
    expect(await smsTo(phone.e164)).toHaveLength(1);

    // Another browser still needs the code.
    const other = await browser.newContext({ baseURL });
    const otherPage = await other.newPage();
    await passwordStep(otherPage, user);
    await expect(verifyHeading(otherPage)).toBeVisible();
    await other.close();
  });

  test("a directory user's number is read-only; one that can't receive SMS says why and offers no send", async ({ page }) => {
    const good = await createUser();
    const phone = ukMobile();
    await requireMfa(good);
    await db()`update users set source = 'directory', phone_e_164 = ${phone.e164}, phone_raw = ${phone.national}, phone_status = 'ok' where id = ${good.id}`;
    await passwordStep(page, good);
    await page.getByRole('link', { name: /Setup/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Set up text message codes' })).toBeVisible();
    await expect(page.getByText(phone.e164)).toBeVisible();
    await expect(page.getByText('Ask your administrator to correct it in the directory.')).toBeVisible();
    await expect(page.getByLabel('Mobile number')).toHaveCount(0);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.getByText(`We sent a code to ${phone.masked}.`)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Use a different number' })).toHaveCount(0);
    await codeField(page).fill(await latestSmsCode(phone.e164));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(welcome(page)).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);

    const bad = await createUser();
    await requireMfa(bad);
    await db()`update users set source = 'directory', phone_e_164 = null, phone_raw = '07400 123999', phone_status = 'missing_country_code' where id = ${bad.id}`;
    await passwordStep(page, bad);
    await page.getByRole('link', { name: /Setup/ }).click();
    await expect(page.getByText('07400 123999')).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: /can’t receive verification codes/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send code' })).toHaveCount(0);
    await expectAccessible(page);

    // The way out: sign out from the verify step.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?reason=signed-out/);
  });
});
