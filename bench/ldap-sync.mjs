#!/usr/bin/env node
// Directory sync at 100,000 users: loads N generated inetOrgPerson entries (70 % mobile, 20 % telephoneNumber
// only — a quarter of those without a country code — and 10 % no phone) into a real slapd with slapadd (the
// test harness lib/testing/slapd.ts, loaded through tsx), then times against a fresh PostgreSQL database:
//   1. a raw paged `ldapsearch` of the same entries and attributes (the floor; best of two),
//   2. a full first sync, 3. a second sync with no changes, 4. a sync after 1 % of the entries changed.
// Each sync is the product's own run (requestSync + processSyncQueue, lib/directory) in a process of its own,
// so its peak RSS is that sync's. Prints seconds, entries/s, peak RSS, CPU seconds of the sync process and each
// sync's ratio to the raw ldapsearch against the targets, the rows the no-change sync rewrote (must be 0, by
// xmin), and libphonenumber's cost for every raw value. Invitations for new users are turned off (they are
// mail, not sync). Drops the database and the slapd at the end.
//   node bench/ldap-sync.mjs [--users 100000] [--page-size 500] [--keep] [--profile DIR]
// --profile DIR writes a V8 CPU profile of each sync process into DIR.
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server's admin URL.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchEnv, describeMachine, runUnderTsx, withFreshDatabase } from './support/bench-database.mjs';

const TARGETS = { firstSyncRatio: 8, noChangeRatio: 5, peakRssMb: 300 };
const BASE = 'dc=example,dc=org';
const PEOPLE = `ou=people,${BASE}`;
const ATTRIBUTES = ['entryUUID', 'uid', 'mail', 'givenName', 'sn', 'mobile', 'telephoneNumber'];
const SCRIPT = fileURLToPath(import.meta.url);

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    'page-size': { type: 'string', default: '500' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'string' },
    measure: { type: 'boolean', default: false },
    sync: { type: 'boolean', default: false },
  },
});
const users = Number(values.users);
const pageSize = Number(values['page-size']);
const mb = (bytes) => bytes / 1024 / 1024;
const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
const pad = (n, width) => String(n).padStart(width, '0');

async function main() {
  console.log(`bench: ${describeMachine()}`);
  if (values.profile) mkdirSync(values.profile, { recursive: true });
  const args = ['--measure', '--users', String(users), '--page-size', String(pageSize), ...(values.profile ? ['--profile', values.profile] : [])];
  const { status } = await withFreshDatabase('ldap_sync', async (url) => runUnderTsx(SCRIPT, args, benchEnv(url)), { keep: values.keep });
  process.exitCode = status;
}

/** The phone of entry i: 70 % mobile (UK or German), 20 % telephoneNumber only (a quarter national, no country code), 10 % none. */
function phoneOf(i) {
  const kind = i % 10;
  if (kind < 7) return { mobile: i % 2 ? `+44 7400 ${pad(i, 6)}` : `+49 151 ${pad(i, 8)}` };
  if (kind < 9) return { telephoneNumber: i % 4 === 3 ? `020 7946 ${pad(i % 10_000, 4)}` : `+44 20 7946 ${pad(i % 10_000, 4)}` };
  return {};
}

function entryLdif(personLdif, i) {
  return personLdif(`uid=user${i},${PEOPLE}`, { uid: `user${i}`, cn: `User ${i}`, givenName: i % 7 ? `First${i}` : `Zoë${i}`, sn: `Last ${i}`, mail: `user${i}@example.org`, ...phoneOf(i) });
}

/** 1 % of the entries: half get a new mobile number, half a new surname. */
function changesLdif() {
  const lines = [];
  for (let i = 50, k = 0; i < users; i += 100, k++) {
    const change = k % 2 ? `replace: sn\nsn: Renamed ${i}` : `replace: mobile\nmobile: +44 7401 ${pad(i, 6)}`;
    lines.push(`dn: uid=user${i},${PEOPLE}\nchangetype: modify\n${change}\n`);
  }
  return { ldif: lines.join('\n'), count: lines.length };
}

/** A raw paged ldapsearch of the same entries and attributes into a pipe: seconds, entries, peak RSS of ldapsearch. */
function rawSearch(slapd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', 'RSSKB=%M', 'ldapsearch', '-x', '-LLL', '-o', 'ldif-wrap=no', '-H', slapd.url, '-D', slapd.readerDn, '-w', slapd.readerPassword, '-b', PEOPLE, '-E', `pr=${pageSize}/noprompt`, '(objectClass=inetOrgPerson)', ...ATTRIBUTES],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
  );
  const elapsed = seconds(started);
  if (result.status !== 0) throw new Error(`ldapsearch failed (${result.status}): ${result.stderr}`);
  const entries = result.stdout.match(/^dn: /gm)?.length ?? 0;
  return { seconds: elapsed, entries, peakRssMb: Number(/RSSKB=(\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1024 };
}

/** Runs one sync in a process of its own (so its peak RSS is the sync's) and returns what it reported. */
function syncInChild(label) {
  const profile = values.profile ? ['--profile', path.resolve(values.profile, `ldap-sync-${label}.cpuprofile`)] : [];
  const { status, stdout } = runUnderTsx(SCRIPT, ['--sync', ...profile], process.env, { capture: true });
  const line = stdout.trim().split('\n').at(-1);
  if (status !== 0 || !line?.startsWith('{')) throw new Error(`bench: the ${label} sync process failed (${status}): ${stdout}`);
  return JSON.parse(line);
}

/** A V8 CPU profile of fn written to file (--cpu-prof can't be passed through NODE_OPTIONS). */
async function profiled(file, fn) {
  if (!file) return fn();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/** CPU seconds (user + system) of each PostgreSQL backend of this database, from /proc (server on this machine). */
async function backendCpu(getDb) {
  const { sql } = await import('drizzle-orm');
  const result = await getDb().execute(sql`select pid from pg_stat_activity where datname = current_database()`);
  const rows = Array.isArray(result) ? result : result.rows;
  const cpu = new Map();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // not on this machine, or gone
    }
  }
  return cpu;
}

/** Under tsx, in its own process: one sync, timed. */
async function syncOnce() {
  const { syncNow } = await import('../lib/directory/testing.ts');
  const { getDatabaseHandle, getDb } = await import('../lib/db/index.ts');
  const baselineRssMb = mb(process.memoryUsage().rss);
  const pgBefore = await backendCpu(getDb);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const run = await profiled(values.profile, () => syncNow());
  const elapsed = seconds(started);
  const used = process.cpuUsage(cpu);
  let pgCpuSeconds = 0;
  for (const [pid, s] of await backendCpu(getDb)) pgCpuSeconds += s - (pgBefore.get(pid) ?? 0);
  await getDatabaseHandle().close();
  console.log(JSON.stringify({ seconds: elapsed, cpuSeconds: (used.user + used.system) / 1e6, pgCpuSeconds, baselineRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024, status: run.status, error: run.error, counts: run.counts }));
}

/** Under tsx: database, slapd, then the four measurements. */
async function measure() {
  const { getDatabaseHandle, getDb } = await import('../lib/db/index.ts');
  const { runMigrations } = await import('../db/migrate.ts');
  const { schema } = await import('../db/client.ts');
  const { sql } = await import('drizzle-orm');
  const { personLdif, startSlapd } = await import('../lib/testing/slapd.ts');
  const { configureDirectory, unitsLdif } = await import('../lib/directory/testing.ts');
  const { normalisePhone } = await import('../lib/phone/index.ts');

  await runMigrations(getDb());
  const a = schema.accountSettings;
  await getDb().insert(a).values({ id: 1, inviteDirectoryUsers: false }).onConflictDoUpdate({ target: a.id, set: { inviteDirectoryUsers: false } });

  let started = process.hrtime.bigint();
  const ldif = [unitsLdif(BASE, ['people']), ...Array.from({ length: users }, (_, i) => entryLdif(personLdif, i))].join('\n');
  const slapd = await startSlapd({ baseDn: BASE, ldif });
  console.log(`bench: ${users} entries (${mb(ldif.length).toFixed(0)} MB of LDIF) loaded with slapadd and slapd started in ${seconds(started).toFixed(1)} s`);
  try {
    await configureDirectory(slapd, { pageSize });
    const floors = [rawSearch(slapd), rawSearch(slapd)];
    const floor = floors.reduce((best, r) => (r.seconds < best.seconds ? r : best));
    if (floor.entries !== users) throw new Error(`bench: ldapsearch returned ${floor.entries} entries, expected ${users}`);
    console.log(`bench: raw ldapsearch ${floors.map((r) => `${r.seconds.toFixed(2)} s`).join(', ')} (floor: the faster)`);

    // Rows physically rewritten by a step: a row's xmin changes whenever it is written, even to the same values.
    const snapshotXmin = async () => {
      await getDb().execute(sql`drop table if exists bench_xmin`);
      await getDb().execute(sql`create table bench_xmin as select id, xmin::text as x from users`);
    };
    const rewritten = async () =>
      Number((await getDb().execute(sql`select count(*)::int as n from users u join bench_xmin b using (id) where u.xmin::text <> b.x`))[0].n);

    const first = syncInChild('first');
    console.log(`bench: first sync ${first.seconds.toFixed(2)} s`);
    await getDb().execute(sql`analyze users`);
    await snapshotXmin();
    const same = syncInChild('no-change');
    const sameRewritten = await rewritten();
    console.log(`bench: no-change sync ${same.seconds.toFixed(2)} s`);
    const changes = changesLdif();
    slapd.modify(changes.ldif);
    await snapshotXmin();
    const changed = syncInChild('one-percent');
    const changedRewritten = await rewritten();

    // libphonenumber on every raw value once (what a sync would cost if it parsed everything).
    const raws = Array.from({ length: users }, (_, i) => Object.values(phoneOf(i))[0]).filter(Boolean);
    started = process.hrtime.bigint();
    for (const raw of raws) normalisePhone(raw, null);
    const parseSeconds = seconds(started);

    const ok = (value, target) => (value <= target ? 'yes' : 'OVER');
    const row = (step, r, ratioTarget) => ({
      step,
      seconds: r.seconds.toFixed(2),
      'entries/s': Math.round(users / r.seconds),
      'CPU s (sync process)': r.cpuSeconds === undefined ? '' : r.cpuSeconds.toFixed(2),
      'CPU s (PostgreSQL)': r.pgCpuSeconds === undefined ? '' : r.pgCpuSeconds.toFixed(2),
      'peak RSS MB': r.peakRssMb.toFixed(0),
      'ratio to ldapsearch': r === floor ? '1.0' : (r.seconds / floor.seconds).toFixed(1),
      target: ratioTarget ? `≤ ${ratioTarget}×, < ${TARGETS.peakRssMb} MB` : '',
      ok: ratioTarget ? (r.seconds / floor.seconds <= ratioTarget && r.peakRssMb < TARGETS.peakRssMb ? 'yes' : 'OVER') : '',
    });
    console.table([
      row(`raw paged ldapsearch (${pageSize}/page)`, floor),
      row('first sync (all created)', first, TARGETS.firstSyncRatio),
      row('second sync, no changes', same, TARGETS.noChangeRatio),
      row(`sync after 1 % changed (${changes.count})`, changed),
    ]);
    for (const [label, r] of [['first', first], ['no-change', same], ['1 %', changed]]) console.log(`bench: ${label} sync: ${r.status}, counts ${JSON.stringify(r.counts)}; process RSS before the sync ${r.baselineRssMb.toFixed(0)} MB`);
    console.log(`bench: rows rewritten by the no-change sync: ${sameRewritten} (must be 0: ${ok(sameRewritten, 0)}); by the 1 % sync: ${changedRewritten} (${changes.count} entries changed)`);
    console.log(`bench: libphonenumber on all ${raws.length} raw values: ${parseSeconds.toFixed(2)} s (${((parseSeconds / raws.length) * 1e6).toFixed(0)} µs each)`);
    console.log(`bench: ${describeMachine()}`);

    const problems = [];
    if (first.status !== 'succeeded' || first.counts.created !== users) problems.push(`first sync: ${first.status} ${first.error ?? ''} created ${first.counts.created}`);
    if (same.status !== 'succeeded' || same.counts.created + same.counts.updated + same.counts.disabled !== 0 || sameRewritten !== 0) problems.push('the no-change sync changed something');
    if (changed.status !== 'succeeded' || changed.counts.updated !== changes.count) problems.push(`1 % sync: ${changed.status} updated ${changed.counts.updated} of ${changes.count}`);
    if (problems.length) throw new Error(`bench: ${problems.join('; ')}`);
    const slow = first.seconds / floor.seconds > TARGETS.firstSyncRatio || same.seconds / floor.seconds > TARGETS.noChangeRatio;
    const fat = [first, same, changed].some((r) => r.peakRssMb >= TARGETS.peakRssMb);
    process.exitCode = slow || fat ? 1 : 0;
  } finally {
    await slapd.destroy();
    await getDatabaseHandle().close();
  }
}

if (values.sync) await syncOnce();
else if (values.measure) await measure();
else await main();
