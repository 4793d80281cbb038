// Shared by the benchmarks that run the product's own code on a throwaway PostgreSQL database:
// create and drop the database, the environment a production process needs, running a script
// under tsx (react-server condition, so lib/ loads as it does in the app), and seeding users.
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server's admin URL;
// BENCH_PG_LOG=1 has the server log each statement of the bench database with its duration.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Creates a fresh database, runs fn(url), then drops it (unless keep). */
export async function withFreshDatabase(label, fn, { keep = false } = {}) {
  const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `onramp_bench_${label}_${Date.now().toString(36)}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  // BENCH_PG_LOG=1: the server logs every statement of this database with its duration (see bench/README.md).
  if (process.env.BENCH_PG_LOG) await admin.unsafe(`alter database "${name}" set log_min_duration_statement = 0`);
  console.log(`bench: database ${name}`);
  try {
    return await fn(url.toString());
  } finally {
    if (keep) console.log(`bench: kept ${url}`);
    else await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  }
}

/** What a production Onramp process needs; one set of secrets per run, so every process of the run shares the key. */
export function benchEnv(databaseUrl) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATA_DIR: path.join(tmpdir(), 'onramp-bench'),
    APP_URL: 'http://127.0.0.1:3000',
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    ONRAMP_SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

/** Runs a script under tsx with the react-server condition: { status, stdout } (stdout only with `capture`, else shown). */
export function runUnderTsx(script, args, env, { capture = false } = {}) {
  const require = createRequire(import.meta.url);
  const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
  const result = spawnSync(process.execPath, [tsx, '--conditions=react-server', script, ...args], {
    cwd: ROOT,
    env,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout };
}

/**
 * Under tsx only: applies the migrations with the product's migrator and inserts `count` active users
 * (plain rows, made by PostgreSQL itself). Returns the database handle's close function.
 */
export async function migrateAndSeedUsers(count) {
  const { getDatabaseHandle, getDb } = await import('../../lib/db/index.ts');
  const { runMigrations } = await import('../../db/migrate.ts');
  const { sql } = await import('drizzle-orm');
  await runMigrations(getDb());
  await getDb().execute(sql`insert into users (first_name, last_name, email, username, status, activated_at)
    select 'Bench', 'User ' || g, 'bench.user' || g || '@example.com', 'bench_user_' || g, 'active', now()
    from generate_series(1, ${count}::int) g`);
  await getDb().execute(sql`analyze users`);
  return () => getDatabaseHandle().close();
}

export function describeMachine() {
  const [one, five] = loadavg();
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min)`;
}
