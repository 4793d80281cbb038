#!/usr/bin/env node
// The admin Users list at 100,000 users: seeds a fresh PostgreSQL database, then times the real
// listUsers (lib/users/list-users.ts, loaded through tsx) for typical filters and sorts, on the
// first page and on a deep page. Prints the median of 5 runs against the target, then drops the
// database.
//   node bench/users-list.mjs [--users 100000] [--runs 5] [--deep-page 1000] [--keep] [--proposed-indexes]
// --proposed-indexes adds indexes that db/schema does not have yet (PROPOSED_INDEXES) after seeding,
// to show what they would change; without it the database is exactly what the migrations create.
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server's admin URL.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';

const TARGET_MS = 150;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    'deep-page': { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
    'proposed-indexes': { type: 'boolean', default: false },
    measure: { type: 'boolean', default: false },
  },
});

/** Search by first or last name prefix cannot use an index without these (userWhere uses lower(x) like 'p%'). */
/** Indexes to try before adding them to db/schema (empty: the name-prefix indexes are now in the schema). */
const PROPOSED_INDEXES = [];

/** The combinations an admin uses most; each is timed on page 1 and on a deep page. */
const CASES = [
  { label: 'everyone, newest first', filter: {}, sort: 'created', dir: 'desc' },
  { label: 'active, by name', filter: { status: 'active' }, sort: 'name', dir: 'asc' },
  { label: 'search "ma", by name', filter: { q: 'ma' }, sort: 'name', dir: 'asc' },
  { label: 'search "first last", by name', filter: { q: 'maria gar' }, sort: 'name', dir: 'asc' },
  { label: 'directory + phone problem, by email', filter: { source: 'directory', phone: 'problem' }, sort: 'email', dir: 'asc' },
  { label: 'invited + no valid code, by status', filter: { status: 'invited', code: 'none' }, sort: 'status', dir: 'desc' },
  { label: 'MFA not enrolled, by email desc', filter: { mfa: 'not_enrolled' }, sort: 'email', dir: 'desc' },
];

async function main() {
  const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `onramp_bench_${Date.now().toString(36)}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  console.log(`bench: database ${name}`);
  let status = 0;
  try {
    const sql = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
    try {
      await migrate(sql);
      const started = Date.now();
      await seed(sql, Number(values.users));
      console.log(`bench: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (values['proposed-indexes']) {
        for (const statement of PROPOSED_INDEXES) await sql.unsafe(statement);
        await sql.unsafe('analyze users');
        console.log(`bench: with the proposed indexes (not in db/schema):\n  ${PROPOSED_INDEXES.join(';\n  ')}`);
      }
      const [info] = await sql`select current_setting('server_version') as version, datcollate from pg_database where datname = current_database()`;
      console.log(`bench: PostgreSQL ${info.version}, collation ${info.datcollate}`);
      const counts = await sql`select
        (select count(*) from users)::int as users, (select count(*) from mfa_factors)::int as mfa,
        (select count(*) from registration_codes)::int as codes`;
      console.log(`bench: ${counts[0].users} users, ${counts[0].mfa} mfa_factors, ${counts[0].codes} registration_codes`);
    } finally {
      await sql.end({ timeout: 5 });
    }
    status = runMeasurement(dbUrl.toString());
  } finally {
    if (values.keep) console.log(`bench: kept ${dbUrl}`);
    else await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  }
  process.exit(status);
}

/** The app's migrations, in order, split the way drizzle-kit writes them. */
async function migrate(sql) {
  const dir = path.join(ROOT, 'db', 'migrations');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    for (const statement of readFileSync(path.join(dir, file), 'utf8').split('--> statement-breakpoint')) {
      if (statement.trim()) await sql.unsafe(statement);
    }
  }
}

const FIRST = ['Maria', 'James', 'Mohammed', 'Wei', 'Anna', 'John', 'Fatima', 'Marco', 'Sofia', 'David', 'Yuki', 'Olga', 'Pedro', 'Aisha', 'Lars', 'Emma', 'Noah', 'Priya', 'Chen', 'Lucas', 'Mia', 'Omar', 'Ines', 'Jan', 'Grace', 'Ada', 'Alan', 'Marta', 'Mateo', 'Zoe'];
const LAST = ['Garcia', 'Smith', 'Müller', 'Wang', 'Kowalski', 'Johnson', 'Rossi', 'Silva', 'Nguyen', 'Kim', 'Martin', 'Ivanova', 'Jensen', 'Patel', 'Khan', 'Brown', 'Dubois', 'Novak', 'Tanaka', 'Lopez', 'Hopper', 'Lovelace', 'Turing', "O'Brien", 'Van der Berg', 'Schmidt', 'Haddad', 'Marsh', 'Mahler', 'Andersson', 'Costa', 'Fischer', 'Gomez', 'Li', 'Moreau', 'Santos', 'Yilmaz', 'Zhang', 'Wilson', 'Taylor'];

/** Users, MFA factors and registration codes with a realistic mix, generated by PostgreSQL itself. */
async function seed(sql, n) {
  // Pseudo-random but reproducible: h(g, salt) is a hash of the row number, 0..9999.
  await sql.unsafe(`create function pg_temp.h(g int, salt int) returns int language sql immutable as
    $$ select abs(hashint4(g * 7919 + salt)) % 10000 $$`);
  await sql.unsafe(
    `insert into users (first_name, last_name, email, username, source, status, phone_e_164, phone_status, phone_raw,
        directory_id, created_at, updated_at, activated_at, disabled_at, last_sign_in_at)
     select f, l,
       lower(regexp_replace(f || '.' || l, '[^A-Za-z.]', '', 'g')) || g || (case when g % 3 = 0 then '@corp.example.org' else '@example.com' end),
       lower(left(f, 1) || regexp_replace(l, '[^A-Za-z]', '', 'g')) || g,
       (case when g % 10 = 0 then 'directory' else 'manual' end)::user_source,
       st::user_status,
       case when ps in ('ok', 'country_assumed') then '+4915' || lpad((g * 37 % 100000000)::text, 9, '0') end,
       ps::phone_status,
       case ps when 'missing' then null when 'missing_country_code' then '0151 ' || g when 'invalid' then '12' else '+49 15 ' || g end,
       case when g % 10 = 0 then 'dir-' || g end,
       created, created, case when st <> 'invited' then created + interval '1 day' end,
       case when st = 'disabled' then created + interval '30 days' end,
       case when st = 'active' and pg_temp.h(g, 5) < 8000 then created + (pg_temp.h(g, 6) || ' hours')::interval end
     from (
       select g,
         ($1::text[])[1 + pg_temp.h(g, 1) % ${FIRST.length}] as f,
         ($2::text[])[1 + pg_temp.h(g, 2) % ${LAST.length}] as l,
         case when pg_temp.h(g, 3) < 7000 then 'active' when pg_temp.h(g, 3) < 9000 then 'invited' else 'disabled' end as st,
         case when pg_temp.h(g, 4) < 7500 then 'ok' when pg_temp.h(g, 4) < 8300 then 'country_assumed'
              when pg_temp.h(g, 4) < 8800 then 'missing_country_code' when pg_temp.h(g, 4) < 9200 then 'invalid' else 'missing' end as ps,
         -- Three years of sign-ups; directory imports arrive in batches sharing one timestamp (sort ties).
         case when g % 10 = 0 then date_trunc('day', now() - (${n} - g) * interval '15 minutes')
              else now() - (${n} - g) * interval '15 minutes' end as created
       from generate_series(1, ${n}) g
     ) s`,
    [FIRST, LAST],
  );
  // SMS two-factor: enrolled for about half of the active users, a few locked, a few half-enrolled.
  await sql.unsafe(`insert into mfa_factors (user_id, phone_e_164, verified_at, locked_at, failure_count)
    select id, phone_e_164,
      case when r < 9500 then created_at + interval '2 days' end,
      case when r >= 9300 and r < 9500 then now() end,
      case when r >= 9300 and r < 9500 then 5 else 0 end
    from (select id, phone_e_164, created_at, abs(hashtext(id::text)) % 10000 as r from users where status = 'active') a
    where abs(hashtext(id::text || 'm')) % 10 < 6`);
  // Registration codes: a quarter of the users, one to three each, valid, used or expired.
  await sql.unsafe(`insert into registration_codes (user_id, lookup, ciphertext, status, created_at, expires_at, used_at)
    select u.id, md5(u.id::text || k), 'bench',
      (case when k = 1 and abs(hashtext(u.id::text || 's')) % 10 < 5 then 'valid' when k = 2 then 'expired' else 'used' end)::registration_code_status,
      now() - interval '1 day',
      case when k = 1 and abs(hashtext(u.id::text || 'e')) % 10 < 8 then now() + interval '6 days' else now() - interval '1 hour' end,
      case when k = 3 then now() - interval '2 hours' end
    from users u cross join generate_series(1, 3) k
    where abs(hashtext(u.id::text || 'c')) % 4 = 0 and k <= 1 + abs(hashtext(u.id::text || 'k')) % 3`);
  await sql.unsafe('vacuum analyze users');
  await sql.unsafe('vacuum analyze mfa_factors');
  await sql.unsafe('vacuum analyze registration_codes');
}

/** Runs this script again under tsx with the react-server condition, so it can import the product code. */
function runMeasurement(databaseUrl) {
  const require = createRequire(import.meta.url);
  const tsx = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
  const result = spawnSync(process.execPath, [tsx, '--conditions=react-server', fileURLToPath(import.meta.url), '--measure', '--runs', values.runs, '--deep-page', values['deep-page']], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      DATA_DIR: path.join(tmpdir(), 'onramp-bench'),
      APP_URL: 'http://localhost:3000',
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      ONRAMP_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    },
  });
  return result.status ?? 1;
}

async function time(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

async function medianOf(runs, fn) {
  await fn(); // warm-up: connections, plan cache, buffers
  const samples = [];
  let last;
  for (let i = 0; i < runs; i += 1) {
    const { ms, result } = await time(fn);
    samples.push(ms);
    last = result;
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], result: last };
}

async function measure() {
  const { listUsers, countUsersMatching, listUserIdsMatching } = await import('../lib/users/list-users.ts');
  const { getDatabaseHandle } = await import('../lib/db/index.ts');
  const runs = Number(values.runs);
  const deep = Number(values['deep-page']);
  const rows = [];
  let over = 0;
  try {
    for (const c of CASES) {
      for (const which of ['first', 'deep']) {
        let page = 1;
        if (which === 'deep') {
          const total = await countUsersMatching(c.filter);
          page = Math.max(1, Math.min(deep, Math.ceil(total / 50)));
        }
        const { ms, result } = await medianOf(runs, () => listUsers({ filter: c.filter, sort: c.sort, dir: c.dir, page, pageSize: 50 }));
        const ok = ms < TARGET_MS;
        if (!ok) over += 1;
        rows.push({ case: c.label, page: `${result.page}/${result.pageCount}`, total: result.total, 'median ms': ms.toFixed(1), target: `< ${TARGET_MS}`, ok: ok ? 'yes' : 'OVER' });
      }
    }
    console.table(rows);
    const count = await medianOf(runs, () => countUsersMatching({}));
    console.log(`countUsersMatching (no filter): ${count.ms.toFixed(1)} ms for ${count.result}`);
    const walk = await time(async () => {
      let afterId;
      let seen = 0;
      for (;;) {
        const ids = await listUserIdsMatching({ status: 'active' }, { afterId, limit: 1000 });
        if (ids.length === 0) return seen;
        seen += ids.length;
        afterId = ids.at(-1);
      }
    });
    console.log(`listUserIdsMatching (status=active, batches of 1000): ${walk.result} ids in ${walk.ms.toFixed(0)} ms`);
    console.log(over === 0 ? `bench: every case under ${TARGET_MS} ms` : `bench: ${over} case(s) over ${TARGET_MS} ms`);
  } finally {
    await getDatabaseHandle().close();
  }
  process.exitCode = over === 0 ? 0 : 1;
}

if (values.measure) await measure();
else await main();
