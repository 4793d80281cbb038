import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { personLdif, startSlapd, type Slapd } from '../lib/testing/slapd';
import { expectAccessible, signInAdmin } from './support/fixtures';

/**
 * Directory Services against a real slapd (lib/testing/slapd.ts): the admin configures it, tests the
 * connection, runs a dry run and Sync Now, and reads the history, the run's changes and phone health.
 * Usernames carry a per-run tag: the file runs once per project on the same database, and the other
 * lists (users, phone health) hold other specs' users, so nothing here depends on totals.
 */

// Starts with a letter: an all-digit tag (6 hex digits, ~6 % of runs) would look like a 6-digit code to the secret scan.
const tag = `t${randomBytes(3).toString('hex')}`;
const uid = (name: string) => `${name}-${tag}`;
const email = (name: string) => `${uid(name)}@example.org`;
const NATIONAL_NUMBER = '020 7946 0018';

let slapd: Slapd;
test.beforeAll(async () => {
  const base = 'dc=example,dc=org';
  const person = (name: string, attrs: Record<string, string>) =>
    personLdif(`uid=${uid(name)},ou=people,${base}`, { uid: uid(name), cn: uid(name), givenName: name, sn: `Directory${tag}`, mail: email(name), ...attrs });
  slapd = await startSlapd({
    baseDn: base,
    ldif: [
      `dn: ou=people,${base}\nobjectClass: organizationalUnit\nou: people\n`,
      person('mob', { mobile: '+44 7400 123456' }),
      person('tel', { telephoneNumber: NATIONAL_NUMBER }),
      person('none', {}),
    ].join('\n'),
  });
});
test.afterAll(async () => {
  await slapd?.destroy();
});

test.describe.configure({ mode: 'serial' });

const currentRun = (page: Page) => page.getByRole('status').filter({ hasText: /No run in progress|running|queued|No run yet/ });

test('the admin configures Directory Services, tests the connection, syncs, and reads the history, the changes and phone health', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAdmin(page);
  await page.goto('/admin/directory');
  await expect(page.getByRole('heading', { level: 1, name: 'Directory Services' })).toBeVisible();
  await expectAccessible(page);

  // Presets fill the mapping, with the keyboard alone.
  await page.getByRole('button', { name: 'Active Directory preset' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Unique id attribute')).toHaveValue('objectGUID');
  await expect(page.getByLabel('Username attribute')).toHaveValue('sAMAccountName');
  await expect(page.getByRole('status').filter({ hasText: 'The Active Directory filter and attribute mapping are filled in.' })).toBeVisible();
  await page.getByRole('button', { name: 'OpenLDAP preset' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Unique id attribute')).toHaveValue('entryUUID');
  await expect(page.getByLabel('User filter')).toHaveValue('(objectClass=inetOrgPerson)');
  await expect(page.getByLabel('Phone attributes, in order')).toHaveValue('mobile, telephoneNumber');

  await page.getByLabel('Directory URL').fill(slapd.url);
  await page.getByLabel('Bind DN', { exact: true }).fill(slapd.readerDn);
  await page.getByLabel('Bind password', { exact: true }).fill(slapd.readerPassword);
  await page.getByLabel('Base DN', { exact: true }).fill(`ou=people,${slapd.baseDn}`);
  // Other projects' directory users (same database) are not in this slapd: let the sync disable them.
  await page.getByLabel('Safety limit for disabling (%)').fill('100');

  // A filter that tries to break out is refused next to the field, and nothing typed is lost.
  await page.getByLabel('User filter').fill('*)(uid=*');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Please correct the highlighted fields.')).toBeVisible();
  await expect(page.getByLabel('User filter')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/This is not a valid LDAP filter/)).toBeVisible();
  await expect(page.getByLabel('Directory URL')).toHaveValue(slapd.url);
  await expect(page.getByLabel('Bind password', { exact: true })).toHaveValue(slapd.readerPassword);
  await expectAccessible(page);
  await page.getByLabel('User filter').fill('(objectClass=inetOrgPerson)');

  // Test connection uses the form's values without saving them.
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(`Connected to ${slapd.url} and bound as ${slapd.readerDn}.`)).toBeVisible();
  const samples = page.getByRole('table', { name: /Sample users as they would be imported/ });
  await expect(samples.getByRole('row', { name: new RegExp(uid('mob')) })).toContainText('mobile');
  await expect(samples.getByRole('row', { name: new RegExp(uid('mob')) })).toContainText('+447400123456');
  await expect(samples.getByRole('row', { name: new RegExp(uid('tel')) })).toContainText('telephoneNumber');
  await expect(samples.getByRole('row', { name: new RegExp(uid('tel')) })).toContainText('Missing country code — SMS will fail');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Directory Services settings saved.' })).toBeVisible();
  await expect(page.getByText('A password is saved; leave empty to keep it.')).toBeVisible();
  await expect(page.getByLabel('Bind password', { exact: true })).toHaveValue('');
  expect(await page.content()).not.toContain(slapd.readerPassword);

  // The schedule is a choice, Off or every N minutes; the page says when the next run is. Back to Off after.
  await page.getByLabel('Automatic sync').selectOption({ label: 'Every hour' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/Scheduled every 60 minutes; next run at/)).toBeVisible();
  await expect(page.getByLabel('Automatic sync')).toHaveValue('60');
  await page.getByLabel('Automatic sync').selectOption({ label: 'Off' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/Scheduled every/)).toHaveCount(0);
  await expect(page.getByLabel('Automatic sync')).toHaveValue('');

  // Dry run, then Sync Now; the page follows each run until it ends.
  await page.getByRole('button', { name: 'Dry run' }).click();
  await expect(currentRun(page)).toContainText('The dry run finished: 3 would be created', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Sync Now' }).click();
  await expect(currentRun(page)).toContainText('The sync finished: 3 created', { timeout: 30_000 });
  await expectAccessible(page);

  const history = page.getByRole('table', { name: /Sync runs, newest first/ });
  const [sync, dry] = [history.getByRole('row').nth(1), history.getByRole('row').nth(2)];
  await expect(sync.getByRole('cell')).toHaveText([/UTC$/, 'Sync', 'Manual, by ada.admin@example.com', /s$/, '3', '3', '0', /\d/, '0', '0', '2', 'Succeeded', '—']);
  await expect(dry.getByRole('cell').nth(1)).toHaveText('Dry run');
  await expect(dry.getByRole('cell').nth(5)).toHaveText('3');

  // The run's change list: the created users, with the attribute that gave each phone.
  await sync.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: /^Sync of / })).toBeVisible();
  await page.getByLabel('Show').selectOption('create');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=create/);
  const changes = page.getByRole('table', { name: /Per-user changes of this run \(Create only\)/ });
  await expect(changes.getByRole('row')).toHaveCount(4);
  await expect(changes.getByRole('row', { name: new RegExp(uid('mob')) })).toContainText('mobile');
  await expect(changes.getByRole('row', { name: new RegExp(uid('tel')) })).toContainText('telephoneNumber');
  await expect(changes.getByRole('row', { name: new RegExp(uid('tel')) })).toContainText(NATIONAL_NUMBER);
  await expect(changes.getByRole('row', { name: new RegExp(uid('none')) })).toContainText('No number');
  await expectAccessible(page);

  // Phone health: the number without a country code, with what to fix (other specs' users are listed too: page until found).
  await page.goto('/admin/directory');
  await page.getByRole('link', { name: 'Phone health' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Phone health' })).toBeVisible();
  await expectAccessible(page);
  const row = page.getByRole('row', { name: new RegExp(email('tel')) });
  for (let i = 0; i < 50 && (await row.count()) === 0; i++) {
    await page.getByRole('link', { name: 'Next page →' }).click();
    await expect(page).toHaveURL(new RegExp(`page=${i + 2}`));
  }
  await expect(row).toContainText(NATIONAL_NUMBER);
  await expect(row).toContainText('telephoneNumber');
  await expect(row).toContainText('Missing country code — SMS will fail');
  await expect(row).toContainText('Store the number with + and the country code in the directory (telephoneNumber)');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^onramp-phone-health-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\uFEFFemail,username,first_name,last_name,source,dn,attribute,raw_value,assumed_e164,problem,what_to_fix');
  const line = csv.split('\r\n').find((l) => l.startsWith(`${email('tel')},`));
  expect(line).toContain(`,telephoneNumber,${NATIONAL_NUMBER},,`);
  expect(csv).toContain(`${email('none')},`);
  expect(csv).not.toContain(`${email('mob')},`);
});

test('a run over the safety limit waits; Apply anyway, after a confirmation stating the count, disables the user', async ({ page }) => {
  test.setTimeout(90_000);
  await signInAdmin(page);
  await page.goto('/admin/directory');
  await page.getByLabel('Safety limit for disabling (%)').fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Directory Services settings saved.' })).toBeVisible();

  slapd.remove(`uid=${uid('none')},ou=people,${slapd.baseDn}`);
  await page.getByRole('button', { name: 'Sync Now' }).click();
  await expect(currentRun(page)).toContainText('The sync stopped at the safety limit and is waiting for approval.', { timeout: 30_000 });
  const hold = page.getByRole('region', { name: 'Stopped at the safety limit' });
  await expect(hold).toContainText(/This run would disable 1 of \d+ directory users \(\d+ %\), more than the 0 % safety limit\. Nothing was changed\./);
  await expectAccessible(page);

  await hold.getByRole('button', { name: 'Apply anyway…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply anyway and disable 1 user?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectAccessible(page);
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Disable 1 user' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(currentRun(page)).toContainText('The sync finished: 0 created, 0 updated, 1 disabled', { timeout: 30_000 });

  const history = page.getByRole('table', { name: /Sync runs, newest first/ });
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('Sync (applied anyway)');
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(7)).toHaveText('1');
  await expect(history.getByRole('row').nth(2).getByRole('cell').nth(11)).toHaveText('Approved (applied by a later run)');
  await history.getByRole('row').nth(1).getByRole('link').click();
  await page.getByLabel('Show').selectOption('disable');
  await page.getByRole('button', { name: 'Filter' }).click();
  const changes = page.getByRole('table', { name: /Per-user changes of this run \(Disable only\)/ });
  await expect(changes.getByRole('row')).toHaveCount(2);
  await expect(changes.getByRole('row', { name: new RegExp(uid('none')) })).toContainText('Yes');
  await expectAccessible(page);
});
