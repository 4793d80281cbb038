import { expect, test } from '@playwright/test';
import { createUser, db, expectAccessible, signInAdmin, signInUser, uniqueEmail } from './support/fixtures';
import { linkPath, waitForMail } from './support/mail';

test.describe('admin users and invitation provisioning', () => {
  test('the admin creates a user with a UK number picked from the country list; the invitation activates the account', async ({ page, browser, baseURL }) => {
    const email = uniqueEmail('invitee');
    await signInAdmin(page);
    await page.goto('/admin/users/new');
    await expect(page.getByRole('heading', { level: 1, name: 'Create user' })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('First name').fill('Ivy');
    await page.getByLabel('Last name').fill('Invitee');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Phone number country').selectOption('GB');
    await page.getByLabel('Mobile phone (for SMS codes)').fill('07400 123456');
    await page.getByRole('button', { name: 'Create user' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Ivy Invitee' })).toBeVisible();
    await expect(page.getByText('User created. The invitation email was sent.')).toBeVisible();
    await expect(page.getByText('+447400123456')).toBeVisible();
    await expect(page.getByText(/^Pending/)).toBeVisible();
    await expectAccessible(page);

    const mail = await waitForMail(email);
    expect(mail.header('subject')).toContain('Onramp');
    expect(mail.text).toContain(email);
    const visitor = await browser.newContext({ baseURL });
    const portal = await visitor.newPage();
    await portal.goto(linkPath(mail, 'activate'));
    await portal.getByLabel('Password', { exact: true }).fill('ivy has a long passphrase');
    await portal.getByLabel('Confirm password').fill('ivy has a long passphrase');
    await portal.getByRole('button', { name: 'Activate account' }).click();
    await expect(portal.getByRole('heading', { level: 1, name: /Welcome, Ivy Invitee/ })).toBeVisible();
    await portal.getByRole('button', { name: 'Sign out' }).click();
    await expect(portal).toHaveURL(/\/login/);
    await signInUser(portal, { email, password: 'ivy has a long passphrase' });
    await visitor.close();

    await page.reload();
    await expect(page.locator('dd').filter({ hasText: /^Accepted/ })).toBeVisible();

    // Edit: the form starts from the stored values; a change is recorded with before and after.
    await page.getByRole('link', { name: 'Edit' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Edit user' })).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveValue(email);
    await expectAccessible(page);
    await page.getByLabel('First name').fill('Ivie');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Ivie Invitee' })).toBeVisible();
    await expect(page.getByText('Changes saved.')).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Activated' }).first()).toBeVisible();
  });

  test('a bad email is refused with its reason and the form keeps what was typed', async ({ page }) => {
    await signInAdmin(page);
    await page.goto('/admin/users/new');
    await page.getByLabel('First name').fill('Nia');
    await page.getByLabel('Last name').fill('National');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Create user' }).click();
    await expect(page.getByText('Enter a valid email address')).toBeVisible();
    await expect(page.getByLabel('First name')).toHaveValue('Nia');
    await expectAccessible(page);
  });

  test('disabling a user from the console ends their open session; enabling restores access', async ({ page, browser, baseURL }) => {
    const user = await createUser({ firstName: 'Dana', lastName: 'Disabled' });
    const userContext = await browser.newContext({ baseURL });
    const userPage = await userContext.newPage();
    await signInUser(userPage, user);

    await signInAdmin(page);
    await page.goto(`/admin/users/${user.id}`);
    await page.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByText('Disable this user?')).toBeVisible();
    await page.getByRole('button', { name: 'Yes, disable' }).click();
    await expect(page.locator('dd').filter({ hasText: /^disabled$/ })).toBeVisible();

    await userPage.reload();
    await expect(userPage).toHaveURL(/\/login\?reason=disabled/);

    await page.reload();
    await page.getByRole('button', { name: 'Enable' }).click();
    await expect(page.locator('dd').filter({ hasText: /^active$/ })).toBeVisible();
    await signInUser(userPage, user);
    await userContext.close();
  });

  test('User Provisioning: the method, the invitation options and a code lifetime capped at 7 days', async ({ page }) => {
    await signInAdmin(page);
    await page.goto('/admin/provisioning');
    await expect(page.getByRole('heading', { level: 1, name: 'User Provisioning' })).toBeVisible();
    await expect(page.getByText('single sign-on (SSO), turn invitation emails off')).toBeVisible();
    await expectAccessible(page);

    await page.getByRole('radio', { name: /^Registration Code/ }).check();
    await page.getByLabel('Registration code expires after').fill('8');
    await page.getByLabel('Unit').selectOption('days');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Registration codes can be valid for at most 7 days (168 hours).')).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('Registration code expires after').fill('7');
    await page.getByRole('radio', { name: /^Invitation Email/ }).check();
    await page.getByLabel('Send email notifications to users that are disabled').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('User Provisioning settings saved.')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Send email notifications to users that are disabled')).toBeChecked();
    // Restore for the other tests.
    await page.getByLabel('Send email notifications to users that are disabled').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('User Provisioning settings saved.')).toBeVisible();
  });
});

test('bulk: select every user matching a search, confirm a dialog that states the count, and disable them all', async ({ page }) => {
  const tag = `bulk${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  // 26 matching users: more than one page of 25, so "select all that match" is offered.
  await db()`insert into users (first_name, last_name, email, username, status)
    select 'Bulk', 'Person' || i, ${tag} || '.' || i || '@example.com', ${tag} || '.' || i, 'active'
    from generate_series(1, 26) as i`;
  await signInAdmin(page);
  await page.goto(`/admin/users?q=${tag}&size=25`);
  await expect(page.getByRole('checkbox', { name: /^Select all 25 users on this page/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('checkbox', { name: /^Select all 25 users on this page/ }).check();
  await page.getByRole('button', { name: 'Select all 26 users that match this filter' }).click();
  await page.getByLabel('Action').selectOption('disable');
  await page.getByRole('button', { name: 'Apply…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable 26 users?' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Apply…' }).click();
  await dialog.getByRole('button', { name: 'Disable: 26 users' }).click();
  await expect(page.getByText('Disable: done for 26 users; 0 failed; 0 skipped.')).toBeVisible();
  const [row] = await db()`select count(*)::int as n from users where email like ${`${tag}.%`} and status = 'disabled'`;
  expect(row!.n).toBe(26);
});
