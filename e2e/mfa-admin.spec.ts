import { expect, test, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { createUser, db, expectAccessible, signInAdmin, uniqueEmail } from './support/fixtures';

/**
 * The admin side of SMS two-factor: the Two-Factor Authentication settings, the rule against
 * registration codes (both directions), a user's MFA panel with the SMS log, Reset MFA and Unlock,
 * and the SMS Delivery page. The database is shared with the other specs (and both projects run this
 * one): numbers and emails are unique, and the settings go back to their defaults whatever happens.
 */

const MFA_NEEDS_INVITATIONS =
  "MFA can't be required while users get access with registration codes: registration codes don't support MFA. Switch User Provisioning to Invitation Email first.";

/** A UK mobile number no other run uses. */
const ukMobile = () => `+4474009${String(randomInt(0, 100_000)).padStart(5, '0')}`;

const touchedUsers: string[] = [];
type SavedSettings = {
  mfa_policy: string;
  mfa_remember_days: number;
  sms_allowed_countries: string[];
  sms_sends_per_ip_per_hour: number;
  mfa_failures_per_ip_per_hour: number;
  provisioning_method: string;
};
let saved: SavedSettings | undefined;

test.beforeEach(async () => {
  [saved] = await db()<SavedSettings[]>`select mfa_policy, mfa_remember_days, sms_allowed_countries, sms_sends_per_ip_per_hour,
    mfa_failures_per_ip_per_hour, provisioning_method from account_settings where id = 1`;
});

test.afterEach(async () => {
  // Other specs expect what was there before (the run raises the per-IP caps), MFA off and invitations.
  const s = saved!;
  await db()`update account_settings set mfa_policy = 'off', mfa_remember_days = ${s.mfa_remember_days},
    sms_allowed_countries = ${s.sms_allowed_countries}, sms_sends_per_ip_per_hour = ${s.sms_sends_per_ip_per_hour},
    mfa_failures_per_ip_per_hour = ${s.mfa_failures_per_ip_per_hour}, provisioning_method = 'invitation' where id = 1`;
  if (touchedUsers.length) await db()`update users set mfa_override = 'default' where id = any(${touchedUsers}::uuid[])`;
});

async function saveMfaSettings(page: Page) {
  await page.getByRole('button', { name: 'Save' }).click();
}

test('the admin sets the policy, remember-device days and the SMS country allow-list', async ({ page }) => {
  await db()`update account_settings set sms_allowed_countries = '{}' where id = 1`;
  // At least one user to whom the policy applies (this may be the first spec on a fresh database).
  await createUser({ email: uniqueEmail('policy') });
  await signInAdmin(page);
  await page.getByRole('link', { name: 'Two-Factor Authentication' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Two-Factor Authentication' })).toBeVisible();
  await expect(page.getByText(/SMS codes may be sent to any country\. .*toll fraud/)).toBeVisible();
  await expectAccessible(page);

  // Out of range: refused next to the field, what was typed is kept.
  await page.getByLabel('Remember this device for (days)').fill('31');
  await saveMfaSettings(page);
  await expect(page.getByText('A device can be remembered for at most 30 days.')).toBeVisible();
  await expect(page.getByLabel('Remember this device for (days)')).toHaveValue('31');
  await expectAccessible(page);

  await page.getByRole('radio', { name: /^SMS required for all users/ }).check();
  await page.getByLabel('Remember this device for (days)').fill('14');
  // Countries are added with the keyboard: pick, then Add country.
  const picker = page.getByLabel('Country to allow');
  await picker.selectOption({ label: 'United Kingdom (+44)' });
  await page.getByRole('button', { name: 'Add country' }).press('Enter');
  await picker.selectOption({ label: 'Ireland (+353)' });
  await page.getByRole('button', { name: 'Add country' }).click();
  await picker.selectOption({ label: 'France (+33)' });
  await page.getByRole('button', { name: 'Add country' }).click();
  await page.getByRole('button', { name: 'Remove France (+33)' }).click();
  await expect(page.getByRole('list', { name: 'Allowed countries' }).getByRole('listitem')).toHaveText([/^Ireland \(\+353\)/, /^United Kingdom \(\+44\)/]);
  await page.getByLabel('SMS codes sent per hour').fill('30');
  await saveMfaSettings(page);
  await expect(page.getByText('Two-Factor Authentication settings saved.')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('radio', { name: /^SMS required for all users/ })).toBeChecked();
  await expect(page.getByLabel('Remember this device for (days)')).toHaveValue('14');
  await expect(page.getByLabel('SMS codes sent per hour')).toHaveValue('30');
  await expect(page.getByRole('list', { name: 'Allowed countries' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText(/SMS codes may be sent to any country/)).toHaveCount(0);
  await expectAccessible(page);
  const [settings] = await db()`select mfa_policy, mfa_remember_days, sms_allowed_countries, sms_sends_per_ip_per_hour from account_settings where id = 1`;
  expect(settings).toEqual({ mfa_policy: 'sms_required', mfa_remember_days: 14, sms_allowed_countries: ['GB', 'IE'], sms_sends_per_ip_per_hour: 30 });
  const [event] = await db()`select details from events where type = 'Settings' order by id desc limit 1`;
  expect(event!.details).toMatchObject({ section: 'Two-Factor Authentication', changes: { mfaPolicy: { before: 'off', after: 'sms_required' } } });

  // The other direction of the rule: under the policy, the method can't become Registration Code.
  await page.goto('/admin/provisioning');
  await page.getByRole('radio', { name: /^Registration Code/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByText(/^MFA is required for [\d,]+ users?: the Two-Factor Authentication policy requires SMS for all users who are not exempt; registration codes don't support MFA\. Turn the policy off first\.$/),
  ).toBeVisible();
  const [method] = await db()`select provisioning_method from account_settings where id = 1`;
  expect(method!.provisioning_method).toBe('invitation');
});

test('MFA cannot be required while the method is Registration Code: neither by policy nor for one user', async ({ page }) => {
  const user = await createUser({ email: uniqueEmail('rule') });
  touchedUsers.push(user.id);
  await db()`update account_settings set provisioning_method = 'registration_code', mfa_policy = 'off' where id = 1`;
  await signInAdmin(page);

  await page.goto('/admin/mfa');
  await expect(page.getByText('Users get access with registration codes, which don’t support two-factor authentication.', { exact: false })).toBeVisible();
  await page.getByRole('radio', { name: /^SMS required for all users/ }).check();
  await saveMfaSettings(page);
  await expect(page.getByText(MFA_NEEDS_INVITATIONS)).toBeVisible();
  await expect(page.getByRole('radio', { name: /^SMS required for all users/ })).toBeChecked();
  await expectAccessible(page);
  const [settings] = await db()`select mfa_policy from account_settings where id = 1`;
  expect(settings!.mfa_policy).toBe('off');

  await page.goto(`/admin/users/${user.id}`);
  await page.getByLabel('Requirement for this user').selectOption({ label: 'Required for this user' });
  await page.getByRole('button', { name: 'Save requirement' }).click();
  await expect(page.getByText(MFA_NEEDS_INVITATIONS)).toBeVisible();
  await expectAccessible(page);
  const [row] = await db()`select mfa_override from users where id = ${user.id}`;
  expect(row!.mfa_override).toBe('default');

  // Exempt is fine under registration codes; with invitations, Required is saved too.
  await page.getByLabel('Requirement for this user').selectOption({ label: 'Exempt this user' });
  await page.getByRole('button', { name: 'Save requirement' }).click();
  await expect(page.getByText('Two-factor requirement saved.')).toBeVisible();
  await expect(page.locator('dd').filter({ hasText: 'Not required: this user is exempt' })).toBeVisible();
  await db()`update account_settings set provisioning_method = 'invitation' where id = 1`;
  await page.reload();
  await page.getByLabel('Requirement for this user').selectOption({ label: 'Required for this user' });
  await page.getByRole('button', { name: 'Save requirement' }).click();
  await expect(page.getByText('Two-factor requirement saved.')).toBeVisible();
  await expect(page.locator('dd').filter({ hasText: 'Required for this user' })).toBeVisible();
});

test("a user's MFA panel: the SMS log in plain words, a shared number, Unlock and Reset MFA; the SMS Delivery page", async ({ page }) => {
  const number = ukMobile();
  const user = await createUser({ email: uniqueEmail('mfa-panel'), firstName: 'Pia', lastName: 'Panel' });
  const sharer = await createUser({ email: uniqueEmail('mfa-sharer') });
  await db()`update users set phone_e_164 = ${number}, phone_status = 'ok' where id = ${sharer.id}`;
  await db()`insert into mfa_factors (user_id, phone_e_164, verified_at, failure_count, locked_at) values (${user.id}, ${number}, now() - interval '2 days', 100, now())`;
  await db()`insert into trusted_browsers (user_id, token_hash, expires_at) values (${user.id}, ${`e2e-${user.id}`}, now() + interval '7 days')`;
  await db()`insert into sms_messages (user_id, purpose, to_e_164, transport, status, created_at, updated_at) values
    (${user.id}, 'mfa_code', ${number}, 'twilio', 'delivered', now() - interval '1 hour', now() - interval '1 hour')`;
  await db()`insert into sms_messages (user_id, purpose, to_e_164, transport, status, error_code, created_at, updated_at) values
    (${user.id}, 'mfa_code', '+15005550001', 'twilio', 'failed', 21211, now() - interval '1 minute', now() - interval '1 minute')`;

  await signInAdmin(page);
  await page.goto(`/admin/users/${user.id}`);
  const panel = page.getByRole('region', { name: 'Two-factor authentication' });
  await expect(panel.locator('dd').filter({ hasText: number })).toBeVisible();
  await expect(panel.locator('dd').filter({ hasText: /^Since .*after too many wrong codes$/ })).toBeVisible();
  await expect(panel.locator('dd').filter({ hasText: /^100$/ })).toBeVisible();
  await expect(panel.getByText('Shared with 1 other user:')).toBeVisible();
  await expect(panel.getByRole('link', { name: sharer.email })).toBeVisible();
  const log = panel.getByRole('table', { name: `The last 2 text messages sent to ${user.email}` });
  await expect(log.getByRole('row')).toHaveCount(3);
  await expect(log.getByRole('row').nth(1)).toContainText('Failed');
  await expect(log.getByRole('row').nth(1)).toContainText('21211: the number is not a valid phone number');
  await expect(log.getByRole('row').nth(2)).toContainText('Delivered');
  await expectAccessible(page);

  await panel.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Two-factor authentication unlocked.' })).toBeVisible();
  await expect(panel.locator('dd').filter({ hasText: /^No$/ })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Unlock' })).toHaveCount(0);

  await panel.getByRole('button', { name: 'Reset MFA' }).click();
  await expect(panel.getByText('Reset two-factor authentication?')).toBeVisible();
  await panel.getByRole('button', { name: 'Yes, Reset MFA' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Two-factor authentication was reset' })).toBeVisible();
  await expect(panel.locator('dd').filter({ hasText: /^Not set up$/ })).toBeVisible();
  await expectAccessible(page);
  const events = await db()`select sub_type from events where subject_user_id = ${user.id} and type = 'MFA' order by id`;
  expect(events.map((e) => e.sub_type)).toEqual(['Unlocked', 'Reset by Admin']);
  expect(await db()`select 1 from mfa_factors where user_id = ${user.id}`).toHaveLength(0);
  const [browsers] = await db()`select count(*)::int as n from trusted_browsers where user_id = ${user.id} and revoked_at is null`;
  expect(browsers!.n).toBe(0);

  // SMS Delivery lists the failure (newest first) and the shared number.
  await db()`update users set phone_e_164 = ${number}, phone_status = 'ok' where id = ${user.id}`;
  await page.getByRole('link', { name: 'SMS Delivery' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'SMS Delivery' })).toBeVisible();
  const failures = page.getByRole('table', { name: /^Users whose text messages failed in the last 7 days/ });
  const failureRow = failures.getByRole('row').filter({ has: page.getByRole('link', { name: user.email }) });
  await expect(failureRow).toContainText('+15005550001');
  await expect(failureRow).toContainText('Failed');
  await expect(failureRow).toContainText('21211: the number is not a valid phone number');
  const shared = page.getByRole('table', { name: /^(Numbers shared by several users|The 50 numbers shared)/ });
  const sharedRow = shared.getByRole('row').filter({ hasText: number });
  await expect(sharedRow.getByRole('link', { name: user.email })).toBeVisible();
  await expect(sharedRow.getByRole('link', { name: sharer.email })).toBeVisible();
  await expectAccessible(page);
  await failureRow.getByRole('link', { name: user.email }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pia Panel' })).toBeVisible();
});
