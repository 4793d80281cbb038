import { hash } from '@node-rs/argon2';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import postgres from 'postgres';
import { ADMIN, DEFAULT_USER_PASSWORD, uniqueEmail } from './support/fixtures';
import {
  createDatabase,
  dropDatabase,
  prepareStandalone,
  removeInstanceData,
  startBalancer,
  startInstance,
  stopAll,
  waitForReady,
  type Balancer,
  type Instance,
} from './support/instances';
import { E2E_METRICS_TOKEN } from './support/settings';

/*
 * Production: two instances of the standalone build on one fresh PostgreSQL database, behind a
 * round-robin balancer (as a deployment would run them), then SIGTERM. Ports 3110-3112 (not the e2e
 * servers'). Runs once, in the 'portal' project; waits on conditions with generous limits (a loaded
 * 2-core machine starts a Next.js server in tens of seconds).
 */
const A_PORT = 3110;
const B_PORT = 3111;
const LB_PORT = 3112;
const LB = `http://127.0.0.1:${LB_PORT}`;
const DB_NAME = `onramp_e2e_${process.env.E2E_RUN_ID ?? Date.now().toString(36)}_prod`;
const WRONG_PASSWORD = 'not the password at all';

test.describe.configure({ mode: 'serial' });

let sql: postgres.Sql;
let a: Instance;
let b: Instance;
let balancer: Balancer;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const databaseUrl = await createDatabase(DB_NAME);
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const cwd = prepareStandalone();
  for (const name of ['prod-a', 'prod-b']) removeInstanceData(name);
  // Started together: both try to migrate the empty database at once.
  const common = { databaseUrl, appUrl: LB, cwd, env: { SHUTDOWN_TIMEOUT_SECONDS: '20' } };
  a = startInstance({ ...common, name: 'prod-a', port: A_PORT });
  b = startInstance({ ...common, name: 'prod-b', port: B_PORT });
  await Promise.all([waitForReady(a), waitForReady(b)]);
  balancer = await startBalancer(LB_PORT, [A_PORT, B_PORT]);
  await sql`insert into admins (email, name, password_hash) values (${ADMIN.email}, ${ADMIN.name}, ${await hash(ADMIN.password)})`;
});

test.afterAll(async () => {
  await balancer?.close();
  await stopAll();
  await sql?.end();
  await dropDatabase(DB_NAME);
});

/**
 * The limits count in fixed windows that start at multiples of their length since the epoch
 * (lib/rate-limit). A sequence that must fall in one window starts, when the current one ends within
 * `seconds`, in the next (a run once crossed 19:00:00 between the sign-in failures and the lockout check).
 */
async function startWithinOneWindow(windowSeconds: number, seconds: number) {
  const left = () => windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000));
  await expect.poll(left, { timeout: (seconds + 5) * 1000, intervals: [500] }).toBeGreaterThan(seconds * 1000);
}

async function insertUser(): Promise<{ id: string; email: string; password: string }> {
  const email = uniqueEmail('prod');
  const [row] = await sql`
    insert into users (first_name, last_name, email, username, status, password_hash)
    values ('Pat', 'Prod', ${email}, ${email}, 'active', ${await hash(DEFAULT_USER_PASSWORD)}) returning id`;
  return { id: row!.id as string, email, password: DEFAULT_USER_PASSWORD };
}

async function signInUserAt(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email or username').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A sample of /api/metrics by name and exact labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (m && m[1] === name && m[2]!.split(/,(?=[a-z_]+=")/).sort().join(',') === wanted) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/api/metrics`, { headers: { Authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
};

test('two instances started together migrate once: one applies every migration, the other waits and finds none left', async () => {
  const total = readdirSync('db/migrations').filter((f) => f.endsWith('.sql')).length;
  const applied = [a, b].map((i) => i.lines().find((l) => l.msg === 'database ready')?.migrationsApplied);
  expect(applied.sort()).toEqual([0, total]);
  const [{ count }] = (await sql`select count(*)::int as count from onramp_migrations`) as unknown as [{ count: number }];
  expect(count).toBe(total);
  // Every log line is JSON with a level; lines written while answering a request carry its id.
  for (const instance of [a, b]) {
    const lines = instance.log().split('\n').filter((l) => l.trim());
    expect(lines.filter((l) => !l.startsWith('{')), `${instance.name}: non-JSON log lines`).toEqual([]);
    for (const line of instance.lines()) expect(['debug', 'info', 'warn', 'error']).toContain(line.level);
  }
});

test('a session made on one instance is valid on the other, forms work across instances, and sign-out revokes it on both', async ({ browser }) => {
  test.setTimeout(180_000);
  const context: BrowserContext = await browser.newContext();
  const page = await context.newPage();
  try {
    // Through the balancer: each page and its server action land on different instances.
    await page.goto(`${LB}/admin/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible({ timeout: 30_000 });
    // A form rendered by one instance, submitted to the other (shared action encryption key).
    const email = uniqueEmail('created-across');
    await page.goto(`${LB}/admin/users/new`);
    await page.getByLabel('First name').fill('Cross');
    await page.getByLabel('Last name').fill('Instance');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Create user' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Cross Instance' })).toBeVisible({ timeout: 30_000 });
    expect((await sql`select id from users where email = ${email}`).length).toBe(1);
    // Every form was rendered by one instance and its action answered by the other.
    expect(balancer.crossedPosts).toBeGreaterThanOrEqual(2);
    for (const port of [A_PORT, B_PORT]) {
      const served = balancer.served.get(port)!;
      expect(served.documents, `pages rendered by :${port}`).toBeGreaterThan(0);
      expect(served.posts, `server actions answered by :${port}`).toBeGreaterThan(0);
    }

    // The session cookie works on each instance directly.
    for (const port of [A_PORT, B_PORT]) {
      const response = await context.request.get(`http://127.0.0.1:${port}/admin/users`, { maxRedirects: 0 });
      expect(response.status(), `:${port} with the session`).toBe(200);
    }
    // Signed out through one instance: refused on both.
    await page.goto(`http://127.0.0.1:${A_PORT}/admin`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/admin\/login/);
    for (const port of [A_PORT, B_PORT]) {
      const response = await context.request.get(`http://127.0.0.1:${port}/admin/users`, { maxRedirects: 0 });
      expect([302, 303, 307], `:${port} after sign-out`).toContain(response.status());
    }
  } finally {
    await context.close();
  }
});

test('rate limits are counted across instances: registration-code redemption and sign-in failures', async ({ browser }) => {
  test.setTimeout(240_000);
  // Redemption: 10 failures a minute per IP, whichever instance answers.
  await startWithinOneWindow(60, 15);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const port = i % 2 === 0 ? A_PORT : B_PORT;
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/client/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: 'ZZZZ-ZZZZ-ZZZZ', device: { name: 'Laptop', platform: 'macos' } }),
    });
    statuses.push(response.status);
  }
  expect(statuses.slice(0, 10).every((s) => s !== 429), statuses.join(',')).toBe(true);
  expect(statuses[10]).toBe(429);

  // Sign-in: 10 wrong passwords for one account, alternating instances, lock it on both (15-minute windows).
  const user = await insertUser();
  await startWithinOneWindow(15 * 60, 120);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    for (let i = 0; i < 10; i++) {
      await signInUserAt(page, `http://127.0.0.1:${i % 2 === 0 ? A_PORT : B_PORT}`, user.email, WRONG_PASSWORD);
      await expect.poll(async () => (await sql`select count(*)::int as n from events where type = 'Authentication' and sub_type = 'User Sign-In' and subject_user_id = ${user.id}`)[0]!.n, { timeout: 30_000 }).toBe(i + 1);
    }
    await signInUserAt(page, `http://127.0.0.1:${B_PORT}`, user.email, user.password);
    await expect
      .poll(async () => (await sql`select details->>'reason' as reason from events where subject_user_id = ${user.id} order by id desc limit 1`)[0]?.reason, { timeout: 30_000 })
      .toBe('locked');
    await expect(page.getByRole('heading', { level: 1, name: /^Welcome/ })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('the SMS cap per number is counted across instances: the sixth sign-in code in an hour is refused', async ({ browser }) => {
  test.setTimeout(240_000);
  const user = await insertUser();
  const phone = '+447400123987';
  await sql`update users set mfa_override = 'required' where id = ${user.id}`;
  await sql`insert into mfa_factors (user_id, phone_e_164, verified_at) values (${user.id}, ${phone}, now())`;
  const sent = async () => (await sql`select count(*)::int as n from sms_messages where to_e_164 = ${phone} and status <> 'refused'`)[0]!.n as number;
  await startWithinOneWindow(60 * 60, 120);
  for (let i = 0; i < 6; i++) {
    // A new browser each time: a new password step, which sends a code (5 a number an hour).
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await signInUserAt(page, `http://127.0.0.1:${i % 2 === 0 ? A_PORT : B_PORT}`, user.email, user.password);
      await expect(page.getByRole('heading', { level: 1, name: 'Enter your verification code' })).toBeVisible({ timeout: 30_000 });
      if (i < 5) await expect.poll(sent, { timeout: 30_000 }).toBe(i + 1);
      else {
        // The sixth: nothing was sent at sign-in; asking for a code names the cap.
        await page.getByRole('button', { name: 'Send code' }).click();
        await expect(page.getByText('Too many codes were sent to this number')).toBeVisible({ timeout: 30_000 });
      }
    } finally {
      await context.close();
    }
  }
  expect(await sent()).toBe(5);
});

test('a scheduled directory sync runs once across both instances', async () => {
  test.setTimeout(240_000);
  // An unreachable directory: the run fails fast, which is still one run. Due now, every 60 minutes.
  await sql`insert into directory_settings (url, base_dn, schedule_minutes, next_scheduled_at, connect_timeout_seconds)
            values ('ldap://127.0.0.1:1', 'dc=example,dc=org', 60, now() - interval '1 minute', 2)`;
  const jobRan = async () => (await sql`select last_finished_at from scheduled_jobs where name = 'directory-sync'`)[0]?.last_finished_at as Date | undefined;
  await expect.poll(async () => (await sql`select count(*)::int as n from directory_sync_runs where trigger = 'schedule' and finished_at is not null`)[0]!.n, { timeout: 150_000, intervals: [1000] }).toBe(1);
  // Both instances keep ticking (each every 30 s); after another run of the job there is still one scheduled run.
  const after = await jobRan();
  await expect.poll(async () => ((await jobRan())?.getTime() ?? 0) > (after?.getTime() ?? 0), { timeout: 150_000, intervals: [2000] }).toBe(true);
  expect((await sql`select count(*)::int as n from directory_sync_runs where trigger = 'schedule'`)[0]!.n).toBe(1);
});

test('/api/metrics refuses without the token and both instances report the same cross-instance counts', async () => {
  const refused: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong-token-wrong-token-wrong-token-00' }, { Authorization: `Basic ${E2E_METRICS_TOKEN}` }];
  for (const headers of refused) {
    expect((await fetch(`http://127.0.0.1:${A_PORT}/api/metrics`, { headers })).status).toBe(401);
  }
  const [textA, textB] = await Promise.all([scrape(A_PORT), scrape(B_PORT)]);
  for (const text of [textA, textB]) {
    expect(sample(text, 'onramp_sign_ins_total', { realm: 'admin', outcome: 'success', reason: '' })).toBe(1);
    expect(sample(text, 'onramp_sign_ins_total', { realm: 'user', outcome: 'failure', reason: 'invalid' })).toBe(10);
    expect(sample(text, 'onramp_sign_ins_total', { realm: 'user', outcome: 'failure', reason: 'locked' })).toBe(1);
    expect(sample(text, 'onramp_registration_code_redemptions_total', { outcome: 'failure', reason: 'code_not_found' })).toBe(10);
    expect(sample(text, 'onramp_directory_sync_runs_total', { outcome: 'failed', trigger: 'schedule', dry_run: 'false' })).toBe(1);
  }
  // HTTP counts are per instance: each saw its share of the 11 redemption attempts (A: 5 × 404 and the 429; B: 5 × 404).
  const register = (text: string, instance: string, status: string) => sample(text, 'onramp_http_requests_total', { instance, method: 'POST', route: '/api/v1/client/register', status });
  expect([register(textA, 'prod-a', '404'), register(textA, 'prod-a', '429'), register(textB, 'prod-b', '404'), register(textB, 'prod-b', '429')]).toEqual([5, 1, 5, undefined]);
});

test('SIGTERM: the instance stops taking requests, finishes the one in flight, releases job claims and exits in time', async ({ browser }) => {
  test.setTimeout(180_000);
  // B goes first, with nothing in flight: it exits cleanly.
  const bStopped = Date.now();
  b.child.kill('SIGTERM');
  const bExit = await b.exited;
  expect(bExit.code).toBe(0);
  expect(bExit.at - bStopped).toBeLessThan(20_000);

  // A: a sign-in that takes over 1.5 s (the 8th failure is slowed by 1.5 s) is in flight when SIGTERM arrives.
  const user = await insertUser();
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    for (let i = 0; i < 7; i++) {
      await signInUserAt(page, `http://127.0.0.1:${A_PORT}`, user.email, WRONG_PASSWORD);
      await expect.poll(async () => (await sql`select count(*)::int as n from events where subject_user_id = ${user.id}`)[0]!.n, { timeout: 30_000 }).toBe(i + 1);
    }
    await page.goto(`http://127.0.0.1:${A_PORT}/login`);
    await page.getByLabel('Email or username').fill(user.email);
    await page.getByLabel('Password').fill(WRONG_PASSWORD);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Sign in' }).click();
    // In flight on the server: the metrics request itself plus the sign-in.
    await expect.poll(async () => sample(await scrape(A_PORT), 'onramp_http_requests_in_flight', { instance: 'prod-a' }), { timeout: 30_000, intervals: [50] }).toBeGreaterThanOrEqual(2);
    const stopped = Date.now();
    a.child.kill('SIGTERM');
    const response = await answered;
    expect(response.status()).toBe(200);
    // The sign-in finished: its failure was recorded and answered.
    await expect.poll(async () => (await sql`select count(*)::int as n from events where subject_user_id = ${user.id}`)[0]!.n).toBe(8);
    // Nothing new is accepted.
    // Nothing new is accepted: the port is closed (0), or a kept-alive connection hears 503.
    expect([0, 503]).toContain(await fetch(`http://127.0.0.1:${A_PORT}/api/health`).then((r) => r.status, () => 0));
    const aExit = await a.exited;
    expect(aExit.code).toBe(0);
    expect(aExit.at - stopped).toBeLessThan(20_000);
  } finally {
    await context.close();
  }
  expect(a.log()).toContain('SIGTERM: shutting down');
  expect(a.log()).toContain('Onramp stopped');
  // No instance runs now: no job claim may be left behind.
  expect((await sql`select name from scheduled_jobs where lease_until is not null`).map((r) => r.name)).toEqual([]);
  expect((await sql`select id from directory_sync_runs where status = 'running'`).length).toBe(0);
});
