import { expect, test } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { db, expectAccessible, signInAdmin, uniqueEmail } from './support/fixtures';

/**
 * Event Discovery: filter by type and sub type from the form, drill down from the counts, open an
 * event, export the view as CSV and JSON lines, set the retention. The database is shared with the
 * other specs (and both projects run this file), so the events here carry a unique IP and actor.
 */

const HOSTILE = '<img src=x onerror="window.__pwned=1">\nFAKE 2031-01-01 Admin Sign-In success';

test('an admin filters the audit log, drills down, opens an event and exports the view', async ({ page }) => {
  const ip = `198.18.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  const actor = `=${uniqueEmail('auditor')}`;
  const insert = (subType: string, details: object) =>
    db()`insert into events (type, sub_type, actor_type, actor_label, ip, outcome, details)
         values ('Registration Code', ${subType}, 'admin', ${actor}, ${ip}, 'success', ${db().json(details as never)})`;
  await insert('Generated', { lifetime: '7 days' });
  await insert('Generated', { lifetime: '7 days' });
  await insert('Revoked', { note: HOSTILE });

  await signInAdmin(page);
  await page.getByRole('link', { name: 'Events' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  await expectAccessible(page);

  // The filter form, used with the keyboard: type, IP, then Enter submits.
  const filters = page.getByRole('search', { name: 'Events' });
  await filters.getByLabel('Time range').selectOption('24h');
  await filters.getByLabel('Type', { exact: true }).selectOption('Registration Code');
  await filters.getByLabel('IP address').fill(ip);
  await filters.getByLabel('IP address').press('Enter');
  await expect(page).toHaveURL(/type=Registration\+Code/);
  await expect(page).toHaveURL(new RegExp(`ip=${ip.replace(/\./g, '\\.')}`));
  await expect(page.getByRole('status')).toHaveText('3 events match this filter, newest first.');
  const counts = page.getByRole('table', { name: /Events by type and sub type/ });
  await expect(counts.getByRole('row', { name: /Generated 2$/ })).toBeVisible();
  await expect(counts.getByRole('row', { name: /Revoked 1$/ })).toBeVisible();
  await expectAccessible(page);

  // Drill down: the sub type's count narrows the view, and the link can be shared.
  await counts.getByRole('link', { name: 'Revoked' }).click();
  await expect(page).toHaveURL(/subType=Revoked/);
  await expect(page.getByRole('status')).toHaveText('1 event matches this filter, newest first.');
  const shared = page.url();

  // The detail shows everything, with the hostile value rendered as text.
  await page.getByRole('link', { name: /^Event \d+: Registration Code Revoked/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Event \d+: Registration Code › Revoked$/ })).toBeVisible();
  await expect(page.getByLabel('Event details as JSON')).toContainText('<img src=x onerror=');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.getByRole('definition').filter({ hasText: ip })).toBeVisible();
  await expectAccessible(page);

  // Export the shared view: CSV (formula neutralised) and JSON lines (one event per line).
  await page.goto(shared);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^onramp-events-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trimEnd().split('\r\n');
  expect(lines[0]).toBe('id,occurred_at,type,sub_type,outcome,actor_type,actor,actor_id,subject_user_id,subject_email,device_id,ip,user_agent,details');
  expect(lines).toHaveLength(2 + (text.match(/\n(?!")/g)!.length - 2)); // the hostile newline is inside a quoted cell
  expect(text).toContain(`,'${actor},`);
  const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export JSON lines' }).click()]);
  expect(jsonl.suggestedFilename()).toMatch(/^onramp-events-\d{4}-\d{2}-\d{2}\.jsonl$/);
  const records = readFileSync((await jsonl.path())!, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ type: 'Registration Code', sub_type: 'Revoked', ip, actor, details: { note: HOSTILE } });

  // Exporting is itself audited.
  await page.goto(`/admin/events?type=System&subType=Events+Exported&range=1h`);
  await expect(page.getByRole('table', { name: /Matching events/ }).getByRole('row').nth(1)).toContainText('Events Exported');
});

test('an invalid filter is reported and what was typed is kept; retention is validated and saved', async ({ page }) => {
  await signInAdmin(page);
  await page.goto('/admin/events?range=custom&from=yesterday&ip=not-an-ip&type=User');
  await expect(page.getByRole('alert').filter({ hasText: 'Some filters were not applied' })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Events' });
  await expect(filters.getByLabel('From (UTC)')).toHaveAccessibleDescription(/Enter a date and time like/);
  await expect(filters.getByLabel('IP address')).toHaveValue('not-an-ip');
  await expect(filters.getByLabel('IP address')).toHaveAccessibleDescription(/Enter an IPv4 or IPv6 address\./);
  await expect(filters.getByLabel('Type', { exact: true })).toHaveValue('User');
  await expectAccessible(page);

  const days = page.getByLabel('Keep events for (days)');
  await days.fill('3');
  await days.press('Enter');
  await expect(page.getByText('Keep events for at least 7 days.')).toBeVisible();
  await days.fill('400');
  await days.press('Enter');
  await expect(page.getByText('Event retention saved.')).toBeVisible();
  expect((await db()`select event_retention_days from account_settings where id = 1`)[0]!.event_retention_days).toBe(400);
  await db()`update account_settings set event_retention_days = 365 where id = 1`;
});

test('the export needs an admin and refuses a broken filter', async ({ playwright, baseURL, page }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get('/admin/events/export?format=csv', { maxRedirects: 0 });
  expect(response.status()).not.toBe(200);
  expect(await response.text()).not.toContain('occurred_at');
  await anonymous.dispose();

  await signInAdmin(page);
  const bad = await page.request.get('/admin/events/export?format=xml');
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toBe('Choose the format csv or jsonl.');
  const badFilter = await page.request.get('/admin/events/export?format=csv&ip=nope');
  expect(badFilter.status()).toBe(400);
  expect(await badFilter.text()).toContain('Enter an IPv4 or IPv6 address.');
});
