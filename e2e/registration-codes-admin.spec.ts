import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createUser, db, expectAccessible, signInAdmin, uniqueEmail } from './support/fixtures';

/**
 * The admin side of registration codes: the Registration Code method, a code for every new user,
 * "Generate Registration Code For New Users", the list, the CSV download and revoking a code.
 * The database is shared with the other specs (and both projects run this one), so emails are
 * unique and no count is assumed; the method goes back to Invitation Email whatever happens.
 */

const CODE = '[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}';

async function chooseMethod(page: Page, method: 'Invitation Email' | 'Registration Code') {
  await page.goto('/admin/provisioning');
  await page.getByRole('radio', { name: new RegExp(`^${method}`) }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/^(User Provisioning settings saved\.|Nothing changed\.)$/)).toBeVisible();
}

let mfaUserId: string | undefined;

test.beforeEach(async () => {
  // The method can only become Registration Code while nobody requires MFA: users left by the MFA
  // specs (which require it per user) would block it, so this file starts from none.
  await db()`update users set mfa_override = 'default' where mfa_override = 'required'`;
  await db()`update account_settings set mfa_policy = 'off' where id = 1`;
});

test.afterEach(async () => {
  // Other specs expect invitations and no MFA requirement: restore both even when this test failed half-way.
  await db()`update account_settings set provisioning_method = 'invitation' where id = 1`;
  if (mfaUserId) await db()`update users set mfa_override = 'default' where id = ${mfaUserId}`;
});

test('registration codes: automatic for new users, generated for the rest, listed, downloaded as CSV and revoked', async ({ page }) => {
  const email = uniqueEmail('codes');
  const waiting = await createUser({ email: uniqueEmail('never-had-code'), firstName: 'Wanda', lastName: 'Waiting', status: 'invited' });
  await signInAdmin(page);

  // Registration codes don't support MFA: the switch is refused while a user has MFA required.
  const mfaUser = await createUser({ email: uniqueEmail('mfa-required') });
  mfaUserId = mfaUser.id;
  await db()`update users set mfa_override = 'required' where id = ${mfaUser.id}`;
  await page.goto('/admin/provisioning');
  await page.getByRole('radio', { name: /^Registration Code/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/^MFA is required for [\d,]+ users?; registration codes don't support MFA\. Remove the requirement first\.$/)).toBeVisible();
  await expect(page.getByRole('radio', { name: /^Registration Code/ })).toBeChecked();
  await expectAccessible(page);
  await db()`update users set mfa_override = 'default' where id = ${mfaUser.id}`;

  // The method: Registration Code.
  await chooseMethod(page, 'Registration Code');
  await expect(page.getByRole('radio', { name: /^Registration Code/ })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Generate Registration Code For New Users' })).toBeVisible();
  await expectAccessible(page);

  // A user created in the console gets a code at once. The name is a spreadsheet formula, for the CSV check below.
  await page.goto('/admin/users/new');
  await expect(page.getByText('This account provisions users with registration codes.')).toBeVisible();
  await page.getByLabel('First name').fill('=HYPERLINK("x")');
  await page.getByLabel('Last name').fill('Formula');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '=HYPERLINK("x") Formula' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'User created. A registration code was generated' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'see it in Registration Codes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registration Codes' })).toBeVisible();
  await expect(page.getByLabel('User email')).toHaveValue(email);
  await expect(page.getByRole('row')).toHaveCount(2); // the header and this user's one code
  await expect(page.getByRole('row').nth(1).getByRole('cell').nth(2)).toHaveText('Valid');
  await expectAccessible(page);

  // Generate for users who never had a code: the confirmation states how many.
  await page.goto('/admin/registration-codes');
  await page.getByRole('button', { name: 'Generate Registration Code For New Users' }).click();
  const dialog = page.getByRole('dialog', { name: /^Generate (codes for [\d,]+ users|a code for 1 user) who never had one\?$/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectAccessible(page);
  const question = (await dialog.getByRole('heading').textContent())!;
  const count = Number(/ for ([\d,]+) users? /.exec(question)![1]!.replace(/,/g, ''));
  expect(count).toBeGreaterThanOrEqual(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Generate Registration Code For New Users' })).toBeFocused();

  await page.getByRole('button', { name: 'Generate Registration Code For New Users' }).click();
  await dialog.getByRole('button', { name: /^Generate [\d,]+ codes?$/ }).click();
  await expect(page.getByText(new RegExp(`^Generated ${count.toLocaleString('en-US')} codes?\\.$`))).toBeVisible();
  await expectAccessible(page);

  // The waiting user's code is listed.
  await page.getByLabel('User email').fill(waiting.email);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'Wanda Waiting' })).toBeVisible();
  await expect(page.getByRole('row').nth(1).getByRole('cell').nth(2)).toHaveText('Valid');

  // The Users list's bulk action gives a user one more code, even one who holds a valid code.
  await page.goto(`/admin/users?q=${encodeURIComponent(waiting.email)}`);
  await page.getByRole('checkbox', { name: `Select Wanda Waiting (${waiting.email})` }).check();
  await page.getByLabel('Action').selectOption('generate_code');
  await page.getByRole('button', { name: 'Apply…' }).click();
  const bulk = page.getByRole('dialog', { name: 'Generate a registration code for 1 user?' });
  await expect(bulk).toBeVisible();
  await bulk.getByRole('button', { name: 'Generate registration code: 1 user' }).click();
  await expect(page.getByText('Generate registration code: done for 1 user; 0 failed; 0 skipped.')).toBeVisible();
  await page.goto(`/admin/registration-codes?q=${encodeURIComponent(waiting.email)}&status=valid`);
  await expect(page.getByRole('row')).toHaveCount(3);

  // The download: a UTF-8 CSV with a BOM, the header, and the user's code with the formula neutralised.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download Registration Codes' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^onramp-registration-codes-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('first_name,last_name,email,registration_code,expires_at');
  const escaped = email.replace(/[.+]/g, '\\$&');
  expect(lines.filter((l) => new RegExp(`^"'=HYPERLINK\\(""x""\\)",Formula,${escaped},${CODE},\\d{4}-\\d{2}-\\d{2}T`).test(l))).toHaveLength(1);
  expect(lines.filter((l) => l.includes(`,${waiting.email},`))).toHaveLength(2);
  expect(lines.at(-1)).toBe('');

  // Revoke the formula user's code: it stays listed, as revoked.
  await page.goto(`/admin/registration-codes?q=${encodeURIComponent(email)}`);
  await page.getByRole('checkbox', { name: /^Select the code of =HYPERLINK\("x"\) Formula/ }).check();
  await expect(page.getByText('1 code selected')).toBeVisible();
  await page.getByRole('button', { name: 'Revoke…' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke 1 code?' });
  await expect(revoke).toBeVisible();
  await expectAccessible(page);
  await revoke.getByRole('button', { name: 'Revoke 1 code' }).click();
  await expect(page.getByText('Revoked 1 code.')).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('row').nth(1).getByRole('cell').nth(2)).toContainText('Revoked');
  await expect(page.getByRole('checkbox', { name: /^Select the code of/ })).toHaveCount(0);
  await expectAccessible(page);

  await page.getByLabel('Status').selectOption('revoked');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/status=revoked/);
  await expect(page.getByRole('row')).toHaveCount(2);

  // Back to Invitation Email for the other specs.
  await chooseMethod(page, 'Invitation Email');
  await expect(page.getByRole('radio', { name: /^Invitation Email/ })).toBeChecked();
});

test('the download needs an admin: anyone else gets a redirect to the sign-in, not the codes', async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get('/admin/registration-codes/download', { maxRedirects: 0 });
  expect([303, 307]).toContain(response.status());
  expect(response.headers()['location']).toContain('/admin/login');
  expect(response.headers()['content-disposition']).toBeUndefined();
  await anonymous.dispose();
});
