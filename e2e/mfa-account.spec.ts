import { expect, test, type Page } from '@playwright/test';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createUser, db, expectAccessible, signInUser, type TestUser } from './support/fixtures';

/**
 * The portal's 2FA settings (/account/2fa): change the number (password again, new number from the
 * country list, code to the new number, notice to the old one), remove and set up again, the policy
 * that forbids removing, a directory user's read-only number, and remembered browsers. SMS go to the
 * dev outbox, where the tests read them.
 */

/** A fresh UK mobile number, so the per-number send caps of one run never touch another. */
function ukMobile() {
  const digits = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return { e164: `+447400${digits}`, national: `07400 ${digits}`, masked: `+44 •••• ••${digits.slice(-4)}` };
}

async function enrolledUser(phone: string): Promise<TestUser> {
  const user = await createUser({ firstName: 'Mia', lastName: 'Mobile' });
  await db()`insert into mfa_factors (user_id, phone_e_164, verified_at) values (${user.id}, ${phone}, now())`;
  return user;
}

async function smsCount(to: string): Promise<number> {
  const [row] = await db()`select count(*)::int as n from outbox where channel = 'sms' and recipient = ${to}`;
  return row!.n as number;
}

/** The text of the `count`-th SMS to a number (they are sent after the response, so wait for it). */
async function waitForSms(to: string, count = 1): Promise<string> {
  await expect.poll(() => smsCount(to), { message: `SMS number ${count} to ${to}`, timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  const rows = await db()`select body_text from outbox where channel = 'sms' and recipient = ${to} order by created_at, id`;
  return rows[count - 1]!.body_text as string;
}

function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  expect(match, `a 6-digit code in “${text}”`).not.toBeNull();
  return match![1]!;
}

const wrongCode = (code: string) => (code === '111111' ? '222222' : '111111');

async function openSettings(page: Page) {
  await page.getByRole('link', { name: 'View/Change 2FA Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '2FA settings' })).toBeVisible();
}

const factorSection = (page: Page) => page.getByRole('region', { name: '2 Factor Authentication' });

test.describe('2FA settings', () => {
  test('change the number: password again (wrong, then right), a new number from the country list, the code sent to it; the old number gets a notice', async ({
    page,
  }) => {
    const oldPhone = ukMobile();
    const newPhone = ukMobile();
    const user = await enrolledUser(oldPhone.e164);
    await signInUser(page, user);
    await openSettings(page);
    await expect(factorSection(page).getByText('Text Message Code')).toBeVisible();
    await expect(factorSection(page).getByText(oldPhone.masked)).toBeVisible();
    await expect(page.getByText('No remembered browsers.')).toBeVisible();
    await expectAccessible(page);

    // Step 1: the password again. A wrong one is a field error, counted like a failed sign-in.
    await factorSection(page).getByRole('link', { name: 'Change Settings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Change your 2FA phone number' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 3: Confirm your password' })).toBeVisible();
    await expect(page).toHaveURL(/flow=change&step=password/);
    const password = page.getByLabel('Password');
    await expect(password).toBeFocused();
    await expectAccessible(page);
    await page.keyboard.type('not the right password');
    await page.keyboard.press('Enter');
    await expect(page.getByText('The password is incorrect.')).toBeVisible();
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page);
    const [failed] = await db()`select details from events where subject_user_id = ${user.id} and sub_type = 'User Sign-In' and outcome = 'failure'`;
    expect(failed?.details).toMatchObject({ step: 'reauthenticate', reason: 'invalid' });
    await password.fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();

    // Step 2: the new number. A landline is refused in plain words and what was typed stays.
    await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 3: Your new mobile number' })).toBeVisible();
    await expect(page).toHaveURL(/flow=change&step=number/);
    await expectAccessible(page);
    await page.getByLabel('Phone number country').selectOption('GB');
    const number = page.getByLabel('New mobile number');
    await number.fill('020 7946 0018');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.getByText('This number is a landline or another type that can’t receive text messages.')).toBeVisible();
    await expect(number).toHaveAttribute('aria-invalid', 'true');
    await expect(number).toHaveValue(/20 7946 0018/);
    await expect(page.getByLabel('Phone number country')).toHaveValue('GB');
    await expectAccessible(page);
    await number.fill(newPhone.national);
    await page.getByRole('button', { name: 'Send code' }).click();

    // Step 3: the code went to the NEW number.
    await expect(page.getByRole('heading', { level: 2, name: 'Step 3 of 3: Enter the code' })).toBeVisible();
    await expect(page).toHaveURL(/flow=change&step=code/);
    await expect(page.getByText(`We sent a 6-digit code to ${newPhone.masked}.`)).toBeVisible();
    const code = codeIn(await waitForSms(newPhone.e164));
    expect(await smsCount(oldPhone.e164)).toBe(0);
    await expectAccessible(page);
    await page.reload(); // the step lives in the URL
    await expect(page.getByRole('heading', { level: 2, name: 'Step 3 of 3: Enter the code' })).toBeVisible();
    await page.getByLabel('Code from the text message').fill(wrongCode(code));
    await page.getByRole('button', { name: 'Change number' }).click();
    await expect(page.getByLabel('Code from the text message')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page);
    await page.getByLabel('Code from the text message').fill(code);
    await page.getByRole('button', { name: 'Change number' }).click();

    await expect(page.getByRole('status').filter({ hasText: 'Your 2FA phone number was changed.' })).toBeVisible();
    await expect(page).toHaveURL(/\/account\/2fa\?notice=phone-changed$/);
    await expect(factorSection(page).getByText(newPhone.masked)).toBeVisible();
    await expectAccessible(page);
    const [factor] = await db()`select phone_e_164, previous_phone_e_164 from mfa_factors where user_id = ${user.id}`;
    expect(factor).toMatchObject({ phone_e_164: newPhone.e164, previous_phone_e_164: oldPhone.e164 });
    const notice = await waitForSms(oldPhone.e164);
    expect(notice).toContain(newPhone.masked);
    expect(notice).not.toMatch(/\b\d{6}\b/);

    // The re-authentication was used up: the next change starts with the password again, with a message.
    await page.goto('/account/2fa?flow=change&step=number');
    await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 3: Confirm your password' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'enter your password again' })).toBeVisible();
  });

  test('steps 2 and 3 go back to the password after 10 minutes, keeping the number typed', async ({ page }) => {
    const phone = ukMobile();
    const newPhone = ukMobile();
    const user = await enrolledUser(phone.e164);
    await signInUser(page, user);
    await page.goto('/account/2fa?flow=change&step=password');
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/step=number/);
    await page.getByLabel('Phone number country').selectOption('GB');
    await page.getByLabel('New mobile number').fill(newPhone.national);

    await db()`update auth_sessions set reauthenticated_at = now() - interval '11 minutes' where principal_id = ${user.id}`;
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 3: Confirm your password' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'needs a password entered in the last 10 minutes' })).toBeVisible();
    expect(await smsCount(newPhone.e164)).toBe(0);
    await expectAccessible(page);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 3: Your new mobile number' })).toBeVisible();
    await expect(page.getByLabel('New mobile number')).toHaveValue(/7400/);
  });

  test('remove (password first), then set up again without a number within the 10 minutes: the previously verified number gets the code', async ({
    page,
  }) => {
    const phone = ukMobile();
    const user = await enrolledUser(phone.e164);
    await signInUser(page, user);
    await page.goto('/account/2fa');

    await factorSection(page).getByRole('link', { name: 'Remove' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Remove two-factor authentication' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 2: Confirm your password' })).toBeVisible();
    await expect(page.getByText('For your security, enter your password before you remove two-factor authentication from your account.')).toBeVisible();
    await expect(page.getByLabel('Password')).toBeFocused();
    await expectAccessible(page);
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await expect(page.getByText('The password is incorrect.')).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
    expect((await db()`select phone_e_164 from mfa_factors where user_id = ${user.id}`)[0]?.phone_e_164).toBe(phone.e164);
    await page.getByLabel('Password').fill(user.password);
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 2: Remove it' })).toBeVisible();
    const confirm = page.getByRole('form', { name: 'Remove two-factor authentication' });
    await expect(confirm.getByRole('button', { name: 'Yes, remove' })).toBeFocused();
    await expectAccessible(page);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Two-factor authentication was removed from your account.' })).toBeVisible();
    await expect(factorSection(page).getByText('Not set up')).toBeVisible();
    await expectAccessible(page);

    // The password was confirmed a moment ago: Set up goes straight to the number.
    await factorSection(page).getByRole('link', { name: 'Set up' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Set up two-factor authentication' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 3: Your mobile number' })).toBeVisible();
    const number = page.getByLabel('Mobile number');
    await expect(number).toHaveValue('');
    await expect(number).toHaveAccessibleDescription(new RegExp(`^Leave empty to use ${phone.masked.replace(/\+/g, '\\+')}\\.`));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Send code' }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'Step 3 of 3: Enter the code' })).toBeVisible();
    await expect(page.getByText(`We sent a 6-digit code to ${phone.masked}.`)).toBeVisible();
    const code = codeIn(await waitForSms(phone.e164));
    await expectAccessible(page);
    await expect(page.getByLabel('Code from the text message')).toBeFocused();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');

    await expect(page.getByRole('status').filter({ hasText: 'Two-factor authentication is set up.' })).toBeVisible();
    await expect(factorSection(page).getByText(phone.masked)).toBeVisible();
    const [factor] = await db()`select phone_e_164, verified_at from mfa_factors where user_id = ${user.id}`;
    expect(factor?.phone_e_164).toBe(phone.e164);
    expect(factor?.verified_at).not.toBeNull();
  });

  test('remove and set up ask for the password again once the last confirmation is over 10 minutes old', async ({ page }) => {
    const phone = ukMobile();
    const user = await enrolledUser(phone.e164);
    await signInUser(page, user);
    await page.goto('/account/2fa?flow=remove');
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('button', { name: 'Yes, remove' })).toBeVisible();

    // The confirmation runs out while the page is open: Yes, remove goes back to the password, and nothing is removed.
    await db()`update auth_sessions set reauthenticated_at = now() - interval '11 minutes' where principal_id = ${user.id}`;
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 2: Confirm your password' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'removing it needs a password entered in the last 10 minutes' })).toBeVisible();
    expect((await db()`select phone_e_164 from mfa_factors where user_id = ${user.id}`)[0]?.phone_e_164).toBe(phone.e164);
    await expectAccessible(page);

    // With the factor gone and the confirmation old, Set up starts with the password too.
    await db()`update mfa_factors set phone_e_164 = null, verified_at = null, previous_phone_e_164 = ${phone.e164} where user_id = ${user.id}`;
    await page.goto('/account/2fa');
    await factorSection(page).getByRole('link', { name: 'Set up' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 1 of 3: Confirm your password' })).toBeVisible();
    await expect(page.getByText('For your security, enter your password before you set up the number that receives your sign-in codes.')).toBeVisible();
    await expectAccessible(page);
    // A step's URL opened directly goes back to the password as well.
    await page.goto('/account/2fa?flow=setup&step=code');
    await expect(page.getByRole('status').filter({ hasText: 'setting up a number needs a password entered in the last 10 minutes' })).toBeVisible();
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 3: Your mobile number' })).toBeVisible();
    expect(await smsCount(phone.e164)).toBe(0);
  });

  test('while the organisation requires 2FA the factor can be changed but not removed', async ({ page }) => {
    const phone = ukMobile();
    const user = await enrolledUser(phone.e164);
    await signInUser(page, user);
    await db()`update account_settings set mfa_policy = 'sms_required'`;
    try {
      // This session signed in before the policy changed; count it as having passed the code.
      await db()`update auth_sessions set mfa_state = 'passed' where principal_id = ${user.id}`;
      await page.goto('/account/2fa');
      await expect(page.getByRole('heading', { level: 1, name: '2FA settings' })).toBeVisible();
      await expect(
        factorSection(page).getByText('Your organisation requires two-factor authentication; you can change the number but not remove it.'),
      ).toBeVisible();
      await expect(factorSection(page).getByRole('button', { name: 'Remove' })).toHaveCount(0);
      await expect(factorSection(page).getByRole('link', { name: 'Change Settings' })).toBeVisible();
      await expectAccessible(page);
    } finally {
      await db()`update account_settings set mfa_policy = 'off'`;
    }
  });

  test('a directory user sees their number read-only, with exactly why it can’t receive codes', async ({ page }) => {
    const user = await createUser({ firstName: 'Dora', lastName: 'Directory' });
    await db()`
      update users set source = 'directory', directory_id = ${`uid-${user.id}`}, phone_raw = '07400 123456',
        phone_status = 'missing_country_code', phone_e_164 = null
      where id = ${user.id}`;
    await signInUser(page, user);
    await page.goto('/account/2fa');
    const directory = page.getByRole('region', { name: 'Your mobile number' });
    await expect(directory.getByText('07400 123456')).toBeVisible();
    await expect(directory.getByText('This number comes from your organisation’s directory. Ask your administrator to correct it there.')).toBeVisible();
    await expect(directory.getByText('Text messages can’t be sent to this number.')).toBeVisible();
    await expect(directory.getByText(/no country code/)).toBeVisible();
    await expect(factorSection(page).getByText('Not set up')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Set up' })).toHaveCount(0);
    await expect(page.getByRole('textbox')).toHaveCount(0);
    await expectAccessible(page);

    // The setup step has no number input either, and nothing to send (after the password, like every setup).
    await page.goto('/account/2fa?flow=setup');
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Step 2 of 3: Your mobile number' })).toBeVisible();
    await expect(page.getByText('This number comes from your organisation’s directory.')).toBeVisible();
    await expect(page.getByLabel('Phone number country')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Send/ })).toHaveCount(0);
    await expectAccessible(page);
  });

  test('remembered browsers are listed, this one marked, and each can be forgotten', async ({ page, context, baseURL }) => {
    const phone = ukMobile();
    const user = await enrolledUser(phone.e164);
    const thisToken = randomBytes(32).toString('base64url');
    const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
    await db()`
      insert into trusted_browsers (user_id, token_hash, user_agent, ip, expires_at)
      values
        (${user.id}, ${sha256(thisToken)}, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', '192.0.2.10', now() + interval '20 days'),
        (${user.id}, ${sha256(randomBytes(32).toString('base64url'))}, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', '192.0.2.20', now() + interval '5 days')`;
    await context.addCookies([{ name: 'onramp_trusted_browser', value: thisToken, url: baseURL! }]);
    await signInUser(page, user);
    await page.goto('/account/2fa');

    const browsers = page.getByRole('region', { name: 'Remembered browsers' });
    const chrome = browsers.getByRole('row', { name: /Chrome on Linux/ });
    const firefox = browsers.getByRole('row', { name: /Firefox on Windows/ });
    await expect(chrome.getByText('This browser')).toBeVisible();
    await expect(firefox.getByText('This browser')).toHaveCount(0);
    await expect(firefox.getByRole('button', { name: 'Forget' })).toHaveAccessibleDescription(/Firefox on Windows/);
    await expectAccessible(page);

    await firefox.getByRole('button', { name: 'Forget' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The browser was forgotten.' })).toBeVisible();
    await expect(browsers.getByRole('row', { name: /Firefox on Windows/ })).toHaveCount(0);
    await expect(chrome).toBeVisible();

    await chrome.getByRole('button', { name: 'Forget' }).click();
    await expect(page.getByText('No remembered browsers.')).toBeVisible();
    await expectAccessible(page);
    const rows = await db()`select revoked_at from trusted_browsers where user_id = ${user.id}`;
    expect(rows.map((r) => r.revoked_at)).toEqual([expect.any(Date), expect.any(Date)]);
    expect((await context.cookies()).find((c) => c.name === 'onramp_trusted_browser')).toBeUndefined();
  });
});
