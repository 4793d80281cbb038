import AxeBuilder from '@axe-core/playwright';
import { hash } from '@node-rs/argon2';
import { expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';

/** The admin the setup project creates through the first-admin setup link. */
export const ADMIN = { name: 'Ada Admin', email: 'ada.admin@example.com', password: 'correct horse battery staple' };

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
    password: overrides.password ?? 'a long enough passphrase',
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

export async function signInUser(page: Page, user: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Welcome/ })).toBeVisible();
}

/** The server's log, where the first-admin setup link is printed. */
export function readServerLog(port: number): string {
  try {
    return readFileSync(`test-results/server-${port}.log`, 'utf8');
  } catch {
    return '';
  }
}
