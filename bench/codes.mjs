#!/usr/bin/env node
// Registration codes at 100,000 users: generates one code for every user with the product's
// generateCodesForNewUsers (lib/registration-codes, loaded through tsx), then streams the valid-codes
// CSV (streamValidCodesCsv) into /dev/null, right after generation and again after ANALYZE. Prints
// seconds for each and the RSS growth while streaming, against the targets, then drops the database.
// The second targets were set on a reference machine; the run also measures the design's upsert
// floor (bench/support/upsert-floor.mjs) on the same server and translates them: target × floor here / 0.72 s.
//   node bench/codes.mjs [--users 100000] [--keep]
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureUpsertFloor, REFERENCE_UPSERT_SECONDS } from './support/upsert-floor.mjs';
import { benchEnv, describeMachine, migrateAndSeedUsers, runUnderTsx, withFreshDatabase } from './support/bench-database.mjs';

const TARGETS = { generateSeconds: 3, csvSeconds: 2, csvRssGrowthMb: 50 };
const { values } = parseArgs({
  options: { users: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false }, measure: { type: 'boolean', default: false } },
});
const users = Number(values.users);
const mb = (bytes) => bytes / 1024 / 1024;

async function main() {
  console.log(`bench: ${describeMachine()}`);
  const { status } = await withFreshDatabase('codes', async (url) => runUnderTsx(fileURLToPath(import.meta.url), ['--measure', '--users', String(users)], benchEnv(url)), {
    keep: values.keep,
  });
  process.exitCode = status;
}

/** Streams the product's CSV into /dev/null: seconds, bytes, records and the RSS growth while streaming. */
async function streamCsv(streamValidCodesCsv) {
  const sink = createWriteStream('/dev/null');
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let bytes = 0;
  let records = 0;
  const started = process.hrtime.bigint();
  for await (const chunk of streamValidCodesCsv()) {
    bytes += Buffer.byteLength(chunk);
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) records++;
    if (!sink.write(chunk)) await once(sink, 'drain');
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  sink.end();
  await once(sink, 'finish');
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes, rows: records - 1, baseline, peak, growthMb: mb(peak - baseline) };
}

/**
 * CPU seconds since the last lap, of this process (process.cpuUsage) and of the PostgreSQL backends
 * serving its pool (Linux /proc; the pool's connections stay open through the run).
 */
async function cpuMeter(getDb, sql) {
  const backendCpu = async () => {
    const rows = await getDb().execute(sql`select pid from pg_stat_activity where datname = current_database()`);
    return (Array.isArray(rows) ? rows : rows.rows).reduce((sum, { pid }) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return sum + (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return NaN;
      }
    }, 0);
  };
  let last = { own: process.cpuUsage(), db: await backendCpu() };
  return {
    async lap() {
      const own = process.cpuUsage(last.own);
      const db = await backendCpu();
      const text = `${((own.user + own.system) / 1e6).toFixed(2)} / ${(db - last.db).toFixed(2)}`;
      last = { own: process.cpuUsage(), db };
      return text;
    },
  };
}

/** Runs under tsx: seeds, then times the product's code. */
async function measure() {
  const close = await migrateAndSeedUsers(users);
  try {
    const { generateCodesForNewUsers, streamValidCodesCsv } = await import('../lib/registration-codes/index.ts');
    const { SYSTEM_ACTOR } = await import('../lib/events/index.ts');
    const { getDb } = await import('../lib/db/index.ts');
    const { sql } = await import('drizzle-orm');
    const [{ autovacuum }] = await getDb().execute(sql`select current_setting('autovacuum') as autovacuum`);
    console.log(`bench: ${users} users seeded; PostgreSQL autovacuum is ${autovacuum}`);
    const floor = await measureUpsertFloor(process.env.DATABASE_URL);
    const scale = floor.empty / REFERENCE_UPSERT_SECONDS.empty;
    console.log(
      `bench: upsert floor here ${floor.empty.toFixed(2)} s (reference ${REFERENCE_UPSERT_SECONDS.empty} s): this machine is ${scale.toFixed(2)}× the reference for bulk writes`,
    );

    const cpu = await cpuMeter(getDb, sql);
    const started = process.hrtime.bigint();
    const generated = await generateCodesForNewUsers(SYSTEM_ACTOR, { ip: '127.0.0.1', userAgent: 'bench' });
    const generateSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const generateCpu = await cpu.lap();
    // Right after generation the planner has no statistics for the new codes (autovacuum would gather
    // them within a minute or so); the second download shows the steady state.
    const fresh = await streamCsv(streamValidCodesCsv);
    const freshCpu = await cpu.lap();
    await getDb().execute(sql`analyze registration_codes`);
    await cpu.lap();
    const analysed = await streamCsv(streamValidCodesCsv);
    const analysedCpu = await cpu.lap();

    const ok = (value, target) => (value < target ? 'yes' : 'OVER');
    // A time target in seconds, as set on the reference machine and translated to this one.
    const timed = (step, seconds, target) => ({
      step,
      value: `${seconds.toFixed(2)} s`,
      target: `< ${target} s`,
      'target here': `< ${(target * scale).toFixed(2)} s`,
      ok: ok(seconds, target * scale),
    });
    const csvRows = (label, r) => [
      timed(`CSV ${label}: ${r.rows} rows, ${mb(r.bytes).toFixed(1)} MB`, r.seconds, TARGETS.csvSeconds),
      { step: `CSV ${label}: RSS growth (peak ${mb(r.peak).toFixed(0)} MB)`, value: `${r.growthMb.toFixed(1)} MB`, target: `< ${TARGETS.csvRssGrowthMb} MB`, 'target here': '(same)', ok: ok(r.growthMb, TARGETS.csvRssGrowthMb) },
    ];
    const rows = [
      timed(`generate ${generated} codes`, generateSeconds, TARGETS.generateSeconds),
      ...csvRows('right after generation', fresh),
      ...csvRows('after ANALYZE', analysed),
    ];
    console.table(rows);
    console.log(`CPU seconds (this process / PostgreSQL backend): generate ${generateCpu}, CSV right after ${freshCpu}, CSV after ANALYZE ${analysedCpu}`);
    console.log(`bench: process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ${describeMachine()}`);
    if (generated !== users || fresh.rows !== users || analysed.rows !== users) {
      throw new Error(`bench: expected ${users} codes and CSV rows, got ${generated}, ${fresh.rows} and ${analysed.rows}`);
    }
    process.exitCode = rows.every((r) => r.ok === 'yes') ? 0 : 1;
  } finally {
    await close();
  }
}

if (values.measure) await measure();
else await main();
