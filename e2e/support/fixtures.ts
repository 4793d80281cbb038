import AxeBuilder from '@axe-core/playwright';
import { hash } from '@node-rs/argon2';
import { expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/** The admin the setup project creates through the first-admin setup link. */
export const ADMIN = { name: 'Ada Admin', email: 'ada.admin@example.com', password: 'correct horse battery staple' };

/** The password createUser gives a user unless told otherwise. */
export const DEFAULT_USER_PASSWORD = 'a long enough passphrase';

/**
 * Every password the e2e specs type or store (right or wrong), in one place: the teardown
 * (global-teardown.ts) proves none of them reached a stored event. A spec that types a new password
 * adds it here. Passwords shorter than 8 characters are not searched (they would match ordinary words).
 */
export const KNOWN_PASSWORDS: readonly string[] = [
  ADMIN.password,
  DEFAULT_USER_PASSWORD,
  'violet kettle under the stairs', // invitations.spec.ts NEW_PASSWORD
  'qwertyuiop123', // invitations.spec.ts: a common password, refused
  'not the current password', // invitations.spec.ts
  'not the password at all', // sign-in.spec.ts
  'not the right password', // mfa-account.spec.ts
  'ivy has a long passphrase', // users-admin.spec.ts
];

let sql: postgres.Sql | undefined;
/** Direct access to the e2e database, for arranging data that later issues' UIs will create. */
export function db(): postgres.Sql {
  sql ??= postgres(process.env.E2E_DATABASE_URL!, { max: 2, onnotice: () => {} });
  return sql;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}.${randomBytes(4).toString('hex')}@example.com`;
}

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
}

export async function createUser(overrides: Partial<TestUser> & { status?: 'active' | 'invited' | 'disabled' } = {}): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail('user');
  const user = {
    email,
    username: overrides.username ?? email,
    password: overrides.password ?? DEFAULT_USER_PASSWORD,
    firstName: overrides.firstName ?? 'Uma',
    lastName: overrides.lastName ?? 'User',
  };
  const passwordHash = await hash(user.password);
  const [row] = await db()`
    insert into users (first_name, last_name, email, username, status, password_hash)
    values (${user.firstName}, ${user.lastName}, ${user.email}, ${user.username}, ${overrides.status ?? 'active'}, ${passwordHash})
    returning id`;
  return { id: row!.id as string, ...user };
}

export async function setUserStatus(id: string, status: 'active' | 'invited' | 'disabled') {
  await db()`update users set status = ${status} where id = ${id}`;
}

/** Fails the test with the list of WCAG 2.2 A/AA violations on the current page. */
export async function expectAccessible(page: Page) {
  // Next.js streams a page's metadata: right after a client-side navigation the <title> can arrive a
  // moment after the content. Check the page once it is complete (every page must have a title).
  await expect(page, `the page at ${page.url()} has a title`).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export async function signInAdmin(page: Page, creds = ADMIN) {
  await page.goto('/admin/login');
  await page.getByLabel('Email').fill(creds.email);
  await page.getByLabel('Password').fill(creds.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
}

/** The SMS the dev transport stored for a number (newest first). */
export async function smsTo(phoneE164: string): Promise<{ body: string; createdAt: Date }[]> {
  const rows = await db()`select body_text, created_at from outbox where channel = 'sms' and recipient = ${phoneE164} order by created_at desc`;
  return rows.map((r) => ({ body: r.body_text as string, createdAt: r.created_at as Date }));
}

/** The code in the newest SMS to a number, waiting until at least `count` messages have arrived. */
export async function latestSmsCode(phoneE164: string, count = 1): Promise<string> {
  await expect.poll(async () => (await smsTo(phoneE164)).length, { message: `SMS number ${count} to ${phoneE164}`, timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  const [latest] = await smsTo(phoneE164);
  const match = /\b(\d{6})\b/.exec(latest!.body);
  if (!match) throw new Error(`no code in the SMS to ${phoneE164}`);
  return match[1]!;
}

/** Gives a user a verified SMS factor, as enrolment would. */
export async function enrolUser(userId: string, phoneE164: string) {
  await db()`
    insert into mfa_factors (user_id, phone_e_164, verified_at) values (${userId}, ${phoneE164}, now())
    on conflict (user_id) do update set phone_e_164 = excluded.phone_e_164, verified_at = now(), locked_at = null, failure_count = 0`;
}

/**
 * Signs a user in through /login. When the session owes an SMS code (MFA required for the user), the
 * code the sign-in sent to the verified number is read from the outbox and entered.
 */
export async function signInUser(page: Page, user: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const welcome = page.getByRole('heading', { level: 1, name: /^Welcome/ });
  const verify = page.getByRole('heading', { level: 1, name: 'Enter your verification code' });
  await expect(welcome.or(verify)).toBeVisible();
  if (await verify.isVisible()) {
    const [factor] = await db()`select f.phone_e_164 from mfa_factors f join users u on u.id = f.user_id where lower(u.email) = lower(${user.email})`;
    await page.getByLabel('Verification code').fill(await latestSmsCode(factor!.phone_e_164 as string));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expect(welcome).toBeVisible();
}

/** The server's log, where the first-admin setup link is printed. */
export function readServerLog(port: number): string {
  try {
    return readFileSync(`test-results/server-${port}.log`, 'utf8');
  } catch {
    return '';
  }
}
