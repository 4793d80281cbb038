#!/usr/bin/env node
// Registration codes at 100,000 users: generates one code for every user with the product's
// generateCodesForNewUsers (lib/registration-codes, loaded through tsx), then streams the valid-codes
// CSV (streamValidCodesCsv) into /dev/null, right after generation and again after ANALYZE. Prints
// seconds for each and the RSS growth while streaming, against the targets, then drops the database.
//   node bench/codes.mjs [--users 100000] [--keep]
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
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

    const started = process.hrtime.bigint();
    const generated = await generateCodesForNewUsers(SYSTEM_ACTOR, { ip: '127.0.0.1', userAgent: 'bench' });
    const generateSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    // Right after generation the planner has no statistics for the new codes (autovacuum would gather
    // them within a minute or so); the second download shows the steady state.
    const fresh = await streamCsv(streamValidCodesCsv);
    await getDb().execute(sql`analyze registration_codes`);
    const analysed = await streamCsv(streamValidCodesCsv);

    const ok = (value, target) => (value < target ? 'yes' : 'OVER');
    const csvRows = (label, r) => [
      { step: `CSV ${label}: ${r.rows} rows, ${mb(r.bytes).toFixed(1)} MB`, value: `${r.seconds.toFixed(2)} s`, target: `< ${TARGETS.csvSeconds} s`, ok: ok(r.seconds, TARGETS.csvSeconds) },
      { step: `CSV ${label}: RSS growth (peak ${mb(r.peak).toFixed(0)} MB)`, value: `${r.growthMb.toFixed(1)} MB`, target: `< ${TARGETS.csvRssGrowthMb} MB`, ok: ok(r.growthMb, TARGETS.csvRssGrowthMb) },
    ];
    const rows = [
      { step: `generate ${generated} codes`, value: `${generateSeconds.toFixed(2)} s`, target: `< ${TARGETS.generateSeconds} s`, ok: ok(generateSeconds, TARGETS.generateSeconds) },
      ...csvRows('right after generation', fresh),
      ...csvRows('after ANALYZE', analysed),
    ];
    console.table(rows);
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
