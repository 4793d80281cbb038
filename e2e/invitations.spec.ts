import { expect, test, type Page } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { createUser, db, expectAccessible, signInUser, uniqueEmail } from './support/fixtures';
import { countMailsTo, linkPath, waitForMail } from './support/mail';

/**
 * Account activation, forgot/reset password and change password, end to end. Emails go over real
 * SMTP to the e2e mail server (e2e/support/smtp-global-setup.ts). The admin screens that send
 * invitations are tested with them; here an invitation link is issued directly in the database.
 */

const NEW_PASSWORD = 'violet kettle under the stairs';

/** An invited user (no password yet) and a link for them, as the invitation email would carry. */
async function invitedUserWithLink(link: { expiresInMs?: number; used?: boolean; invalidated?: boolean } = {}) {
  const email = uniqueEmail('invitee');
  const username = `invitee_x${randomBytes(3).toString('hex')}`; // 'x': an all-digit suffix would look like a 6-digit code to the secret scan
  const [user] = await db()`
    insert into users (first_name, last_name, email, username, status)
    values ('Ivy', 'Invitee', ${email}, ${username}, 'invited')
    returning id`;
  const token = randomBytes(32).toString('base64url');
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const expiresAt = new Date(Date.now() + (link.expiresInMs ?? 7 * 24 * 3600_000));
  await db()`
    insert into single_use_tokens (purpose, token_hash, subject_id, expires_at, used_at, invalidated_at)
    values ('invitation', ${tokenHash}, ${user!.id}, ${expiresAt}, ${link.used ? new Date() : null}, ${link.invalidated ? new Date() : null})`;
  return { id: user!.id as string, email, username, token };
}

async function expectSignedInHome(page: Page, name: string) {
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${name}` })).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?reason=signed-out/);
}

test.describe('activation', () => {
  test('an invited user activates with the keyboard alone, lands in the portal, and signs in again later', async ({ page }) => {
    const invitee = await invitedUserWithLink();
    await page.goto(`/activate/${invitee.token}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Activate your VPN account' })).toBeVisible();
    await expect(page.getByText(invitee.username)).toBeVisible();
    await expectAccessible(page);

    // Opening the link did not use it up.
    const [row] = await db()`select used_at from single_use_tokens where subject_id = ${invitee.id}`;
    expect(row!.used_at).toBeNull();

    // A password that contains the username is refused, and the form says why.
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
    await page.keyboard.type(`my ${invitee.username} password`);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Confirm password')).toBeFocused();
    await page.keyboard.type(`my ${invitee.username} password`);
    await page.keyboard.press('Enter');
    await expect(page.getByText('Do not include your username in your password.')).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('Password', { exact: true }).focus();
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Tab');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Activate account' })).toBeFocused();
    await page.keyboard.press('Enter');

    await expectSignedInHome(page, 'Ivy Invitee');
    await expectAccessible(page);
    const [user] = await db()`select status, activated_at from users where id = ${invitee.id}`;
    expect(user).toMatchObject({ status: 'active' });
    expect(user!.activated_at).not.toBeNull();

    await signOut(page);
    await signInUser(page, { email: invitee.username, password: NEW_PASSWORD });

    // The link is used up now.
    await page.goto(`/activate/${invitee.token}`);
    await expect(page.getByRole('heading', { level: 1, name: 'This activation link was already used' })).toBeVisible();
  });

  for (const [label, link, heading] of [
    ['an expired', { expiresInMs: -60_000 }, 'This activation link has expired'],
    ['a used', { used: true }, 'This activation link was already used'],
    ['a superseded', { invalidated: true }, 'This activation link is no longer valid'],
    ['an unknown', undefined, 'This activation link is not valid'],
  ] as const) {
    test(`${label} activation link says so, tells how to get a new one, and reveals nothing`, async ({ page }) => {
      const invitee = await invitedUserWithLink(link ?? {});
      const token = link ? invitee.token : randomBytes(32).toString('base64url');
      await page.goto(`/activate/${token}`);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expect(page.getByText(/Ask your administrator to resend the invitation/)).toBeVisible();
      await expect(page.getByText(invitee.username)).toHaveCount(0);
      await expect(page.getByText(invitee.email)).toHaveCount(0);
      await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0);
      await expectAccessible(page);
    });
  }
});

test.describe('forgot password', () => {
  test('the reset email arrives, its link sets a new password, and the user signs in with it', async ({ page }) => {
    const user = await createUser({ firstName: 'Rosa', lastName: 'Reset' });
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('status')).toHaveText(/^If an account exists for that address, we sent a link to it\./);
    await expectAccessible(page);

    const mail = await waitForMail(user.email);
    expect(mail.header('subject')).toMatch(/^Reset your .* VPN portal password$/);
    expect(mail.text).toContain(`Your username: ${user.username}`);
    const resetPath = linkPath(mail, 'reset-password');
    expect(mail.html).toContain(resetPath);

    await page.goto(resetPath);
    await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('New password', { exact: true }).fill('qwertyuiop123');
    await page.getByLabel('Confirm new password').fill('qwertyuiop123');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page.getByText(/This password is too common/)).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page).toHaveURL(/\/login\?reason=password-reset/);
    await expect(page.getByText('Your password was changed')).toBeVisible();
    await expectAccessible(page);

    await signInUser(page, { email: user.email, password: NEW_PASSWORD });
    await expectSignedInHome(page, 'Rosa Reset');

    // The link worked once.
    await page.goto(resetPath);
    await expect(page.getByRole('heading', { level: 1, name: 'This reset link was already used' })).toBeVisible();
    await expectAccessible(page);
  });

  test('an unknown address gets the same answer, and no email', async ({ page }) => {
    const nobody = uniqueEmail('nobody');
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(nobody);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('status')).toHaveText(/^If an account exists for that address, we sent a link to it\./);
    // The request is handled after the answer; its event is the sign it was handled.
    await expect
      .poll(async () => (await db()`select count(*)::int as n from events where actor_label = ${nobody} and sub_type = 'Reset Requested'`)[0]!.n)
      .toBe(1);
    expect(countMailsTo(nobody)).toBe(0);

    await page.goto(`/reset-password/${randomBytes(32).toString('base64url')}`);
    await expect(page.getByRole('heading', { level: 1, name: 'This reset link is not valid' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe('portal account', () => {
  test('the home page shows the organisation, MFA, devices, and the account links', async ({ page }) => {
    const user = await createUser({ firstName: 'Dora', lastName: 'Devices' });
    await db()`insert into devices (user_id, name, platform, credential_hash, created_at) values (${user.id}, 'Work laptop', 'windows', ${randomBytes(16).toString('hex')}, '2030-02-03T10:00:00Z')`;
    await db()`insert into devices (user_id, name, platform, credential_hash, revoked_at) values (${user.id}, 'Old phone', 'android', ${randomBytes(16).toString('hex')}, now())`;
    await signInUser(page, user);
    await expect(page.getByText('Not set up')).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Work laptop' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Windows' })).toBeVisible();
    await expect(page.getByRole('cell', { name: '3 Feb 2030' })).toBeVisible();
    await expect(page.getByText('Old phone')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Change password' })).toHaveAttribute('href', '/account/password');
    await expect(page.getByRole('link', { name: 'View/Change 2FA Settings' })).toHaveAttribute('href', '/account/2fa');
    await expectAccessible(page);

    await db()`insert into mfa_factors (user_id, phone_e_164, verified_at) values (${user.id}, '+447400128750', now())`;
    await page.reload();
    await expect(page.getByText('Text message to +44 •••• ••8750')).toBeVisible();
  });

  test('changing the password needs the current one, keeps this browser signed in and ends the other sessions', async ({ page, browser, baseURL }) => {
    const user = await createUser({ firstName: 'Carl', lastName: 'Change' });
    const other = await browser.newContext({ baseURL });
    const otherPage = await other.newPage();
    await signInUser(otherPage, user);
    await signInUser(page, user);

    await page.getByRole('link', { name: 'Change password' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Change password' })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('Current password').fill('not the current password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByText('That is not your current password.')).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('Current password').fill(user.password);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('status')).toContainText('Your password was changed.');
    await expectAccessible(page);

    // This browser is still signed in; the other one was signed out.
    await page.goto('/');
    await expectSignedInHome(page, 'Carl Change');
    await otherPage.reload();
    await expect(otherPage).toHaveURL(/\/login\?reason=revoked/);
    await other.close();

    await signOut(page);
    await signInUser(page, { email: user.email, password: NEW_PASSWORD });
  });
});
