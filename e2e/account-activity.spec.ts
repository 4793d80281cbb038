import { expect, test, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { createUser, db, enrolUser, expectAccessible, latestSmsCode, signInUser } from './support/fixtures';

const activityTable = (page: Page) => page.getByRole('table', { name: /^Your recent activity/ });

/** The row of the activity table whose "What happened" cell reads exactly `summary`. */
const rowOf = (page: Page, summary: string) =>
  activityTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: summary, exact: true }) });

async function failSignIn(page: Page, identifier: string) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(identifier);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toBeVisible();
}

test.describe('account activity', () => {
  test('a user sees their failed and successful sign-ins with time, IP and browser; the page passes axe', async ({ page }) => {
    const user = await createUser();
    await failSignIn(page, user.email);
    await signInUser(page, user);
    await page.goto('/account/activity');
    await expect(page.getByRole('heading', { level: 1, name: 'Account activity' })).toBeVisible();
    await expect(page).toHaveTitle(/Account activity/);

    const table = activityTable(page);
    await expect(table.getByRole('columnheader')).toHaveText(['Time (UTC)', 'What happened', 'IP address', 'Browser', 'By']);
    const signedIn = rowOf(page, 'Signed in');
    const failed = rowOf(page, 'Sign-in failed: wrong password');
    await expect(signedIn).toHaveCount(1);
    await expect(failed).toHaveCount(1);
    await expect(signedIn.getByRole('cell')).toHaveText([/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2}$/, 'Signed in', '127.0.0.1', /^Chrom(e|ium) on Linux$/, 'You']);
    await expect(failed.getByRole('cell')).toHaveText([
      /\d{2}:\d{2}:\d{2}$/,
      'Sign-in failed: wrong password',
      '127.0.0.1',
      /^Chrom(e|ium) on Linux$/,
      'Not confirmed: you or someone else',
    ]);

    // Newest first, each time machine-readable and matching what the events table holds.
    const rows = table.getByRole('row');
    await expect(rows).toHaveCount(3); // the header, the sign-in, the failure
    await expect(rows.nth(1)).toContainText('Signed in');
    await expect(rows.nth(2)).toContainText('Sign-in failed: wrong password');
    const times = await table.locator('time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')!));
    const stored = await db()`
      select occurred_at from events
      where subject_user_id = ${user.id} and type = 'Authentication' and sub_type = 'User Sign-In'
      order by occurred_at desc, id desc`;
    expect(times).toEqual(stored.map((r) => (r.occurred_at as Date).toISOString()));
    await expectAccessible(page);
  });

  test('the page works with the keyboard alone', async ({ page }) => {
    const user = await createUser();
    await signInUser(page, user);
    await page.goto('/account/activity');
    await expect(activityTable(page)).toBeVisible();

    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const back = page.getByRole('link', { name: 'Back to your account' });
    await expect(back).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'change your password' })).toBeFocused();
    // The table's scroll container takes focus, so a table wider than the screen scrolls with the arrow keys.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('region', { name: /^Your recent activity/ })).toBeFocused();
    await expectAccessible(page);

    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(back).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: /^Welcome/ })).toBeVisible();
  });

  test('a sign-in with a text message code shows both steps, and the page needs the code first', async ({ page }) => {
    const user = await createUser();
    const phone = `+447400${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    await enrolUser(user.id, phone);
    await db()`update users set mfa_override = 'required' where id = ${user.id}`;

    await page.goto('/login');
    await page.getByLabel('Email or username').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/login\/verify/);
    const pending = await page.request.get('/account/activity', { maxRedirects: 0 });
    expect([302, 303, 307]).toContain(pending.status());
    expect(pending.headers()['location']).toContain('/login/verify');

    await page.getByLabel('Verification code').fill(await latestSmsCode(phone));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Welcome/ })).toBeVisible();
    await page.goto('/account/activity');
    await expect(rowOf(page, 'Signed in with a text message code')).toHaveCount(1);
    await expect(rowOf(page, 'Password accepted; a text message code was needed to finish signing in')).toHaveCount(1);
    await expect(activityTable(page).getByText(phone.slice(1))).toHaveCount(0);
    await expectAccessible(page);
  });

  test('without a session the page sends the visitor to the sign-in', async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    const response = await request.get('/account/activity', { maxRedirects: 0 });
    expect([302, 303, 307]).toContain(response.status());
    expect(response.headers()['location']).toContain('/login');
    await request.dispose();
  });
});
