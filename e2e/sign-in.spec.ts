import { expect, test } from '@playwright/test';
import { ADMIN, createUser, expectAccessible, setUserStatus, signInAdmin, signInUser } from './support/fixtures';

test.describe('sign-in and access', () => {
  test('an anonymous visitor is sent to the right sign-in page', async ({ page }) => {
    await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/admin\/login/);
    await expect(page.getByRole('heading', { name: 'Admin console sign-in' })).toBeVisible();
    await expectAccessible(page);

    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('heading', { name: 'Sign in to the VPN portal' })).toBeVisible();
    await expectAccessible(page);
  });

  test('a wrong password gets a clear message and keeps the email', async ({ page }) => {
    await page.goto('/admin/login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toHaveText('The email or password is incorrect.');
    await expect(page.getByLabel('Email')).toHaveValue(ADMIN.email);
    await expect(page.getByLabel('Password')).toHaveValue('');
    await expectAccessible(page);
  });

  test('an end user signs in with the keyboard alone, sees the portal, and admin pages refuse them', async ({ page }) => {
    const user = await createUser({ firstName: 'Kai', lastName: 'Keys' });
    await page.goto('/login');
    await page.keyboard.press('Tab'); // skip nothing: the first field is the identifier
    await expect(page.getByLabel('Email or username')).toBeFocused();
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Password')).toBeFocused();
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome, Kai Keys' })).toBeVisible();
    await expectAccessible(page);

    await page.goto('/admin');
    await expect(page).toHaveURL(/\/admin\/login/);
    await expect(page.getByRole('heading', { name: 'Admin console sign-in' })).toBeVisible();
    await page.goto('/admin/events');
    await expect(page).toHaveURL(/\/admin\/login/);
  });

  test('a disabled user cannot sign in, and an open session ends on the next request', async ({ page }) => {
    const user = await createUser();
    await signInUser(page, user);
    await setUserStatus(user.id, 'disabled');
    await page.reload();
    await expect(page).toHaveURL(/\/login\?reason=disabled/);
    await expect(page.getByText('Your account is disabled.')).toBeVisible();

    await page.getByLabel('Email or username').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'disabled' })).toContainText('This account is disabled.');
  });

  test('an admin is not an end user: the portal sends an admin session to the portal sign-in', async ({ page }) => {
    await signInAdmin(page);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
  });

  test('every admin console page passes axe', async ({ page }) => {
    await signInAdmin(page);
    for (const path of ['/admin', '/admin/users', '/admin/directory', '/admin/provisioning', '/admin/registration-codes', '/admin/events', '/admin/outbox']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectAccessible(page);
    }
  });

  test('the sign-in event is in the admin log', async ({ page }) => {
    await signInAdmin(page);
    await page.goto('/admin/events');
    await expect(page.getByRole('cell', { name: 'Admin Sign-In' }).first()).toBeVisible();
  });
});
