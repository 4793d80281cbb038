import { expect, test } from '@playwright/test';
import { ADMIN, db, expectAccessible, readServerLog } from './support/fixtures';

test('first admin: the setup link from the log creates the admin, who signs in and out; the link then stays closed', async ({ page }) => {
  let setupUrl = '';
  await expect
    .poll(() => {
      setupUrl = readServerLog(3100).match(/http:\/\/127\.0\.0\.1:3100\/setup\/[A-Za-z0-9_-]+/)?.[0] ?? '';
      return setupUrl;
    }, { message: 'the server prints a setup link when no admin exists' })
    .not.toBe('');

  await page.goto(setupUrl);
  await expect(page.getByRole('heading', { name: 'Create the first admin' })).toBeVisible();
  await expectAccessible(page);

  // Bad input first: too short and mismatched. Nothing is lost.
  await page.getByLabel('Your name').fill(ADMIN.name);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('different');
  await page.getByRole('button', { name: 'Create admin' }).click();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByText('The passwords do not match.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(ADMIN.email);
  await expectAccessible(page);

  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin' }).click();
  await expect(page).toHaveURL(/\/admin\/login\?reason=setup-complete/);
  await expect(page.getByText('The first admin was created')).toBeVisible();

  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByText(`signed in as ${ADMIN.email}`)).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/admin\/login\?reason=signed-out/);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login/);

  // A replayed link: setup is closed for good.
  await page.goto(setupUrl);
  await expect(page.getByRole('heading', { name: 'Setup is complete' })).toBeVisible();
  await expectAccessible(page);
});

test('e2e settings: every test browser is 127.0.0.1, so the per-IP SMS cap is raised for the run (specs that test it lower it and restore it)', async () => {
  await db()`update account_settings set sms_sends_per_ip_per_hour = 10000, mfa_failures_per_ip_per_hour = 10000 where id = 1`;
  const [row] = await db()`select sms_sends_per_ip_per_hour from account_settings where id = 1`;
  expect(row!.sms_sends_per_ip_per_hour).toBe(10000);
});
