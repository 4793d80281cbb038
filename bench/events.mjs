#!/usr/bin/env node
// Event Discovery at 1,000,000 events: inserts them (spread over a year, realistic mix of types,
// outcomes, users, actors and IPs) with PostgreSQL's generate_series, ANALYZEs, then times the product's
// searchEvents (first page, and a page 100 pages deep reached by keyset) and countEventsByKind for five
// typical filters, through lib/events loaded with tsx. Prints milliseconds against the targets.
//   node bench/events.mjs [--events 1000000] [--keep]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchEnv, describeMachine, migrateAndSeedUsers, runUnderTsx, withFreshDatabase } from './support/bench-database.mjs';

const TARGETS = { pageMs: 100, countsMs: 300 };
const USERS = 10_000;
const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false }, measure: { type: 'boolean', default: false } },
});
const events = Number(values.events);

async function main() {
  console.log(`bench: ${describeMachine()}`);
  const { status } = await withFreshDatabase('events', async (url) => runUnderTsx(fileURLToPath(import.meta.url), ['--measure', '--events', String(events)], benchEnv(url)), {
    keep: values.keep,
  });
  process.exitCode = status;
}

/** The mix: [type, sub type, share of events, failure rate]. */
const MIX = [
  ['Authentication', 'User Sign-In', 30, 0.1],
  ['Authentication', 'Admin Sign-In', 3, 0.05],
  ['Authentication', 'Sign-Out', 10, 0],
  ['MFA', 'Challenge Sent', 12, 0],
  ['MFA', 'Challenge Passed', 10, 0],
  ['MFA', 'Challenge Failed', 2, 1],
  ['SMS', 'Delivery Status', 10, 0.05],
  ['Registration Code', 'Generated', 8, 0],
  ['Registration Code', 'Used', 5, 0],
  ['Registration Code', 'Revoked', 1, 0],
  ['Device', 'Registered', 5, 0],
  ['User', 'Updated', 2, 0],
  ['Directory Sync', 'Finished', 1, 0],
  ['Settings', 'Changed', 1, 0],
];

async function seedEvents(getDb, sql) {
  const kinds = MIX.flatMap(([type, subType, share, failure]) => Array.from({ length: share }, () => ({ type, subType, failure })));
  const started = process.hrtime.bigint();
  const batch = 100_000;
  for (let offset = 0; offset < events; offset += batch) {
    const n = Math.min(batch, events - offset);
    await getDb().execute(sql`
      with kinds as (select * from json_to_recordset(${JSON.stringify(kinds)}::json) as k(type text, "subType" text, failure float8)),
           numbered as (select row_number() over () - 1 as i, * from kinds),
           users_n as (select row_number() over (order by id) - 1 as i, id, email from users)
      insert into events (occurred_at, type, sub_type, actor_type, actor_id, actor_label, subject_user_id, ip, user_agent, outcome, details)
      select now() - random() * interval '365 days', k.type, k."subType",
             case when k.type in ('Registration Code', 'User', 'Settings') then 'admin' else 'user' end::actor_type,
             null,
             case when k.type in ('Registration Code', 'User', 'Settings') then 'admin' || (g % 50) || '@example.com' else u.email end,
             u.id, '10.' || (g % 200) || '.' || ((g / 200) % 25) || '.' || (g % 7), 'Mozilla/5.0 (bench)',
             case when random() < k.failure then 'failure' else 'success' end::event_outcome,
             jsonb_build_object('note', 'bench event ' || g)
      from generate_series(${offset + 1}::bigint, ${offset + n}::bigint) g
      join numbered k on k.i = (g * 7919) % ${kinds.length}
      join users_n u on u.i = (g * 104729) % ${USERS}`);
  }
  // Steady state: autovacuum would have run by now (it sets the visibility map index-only scans use).
  await getDb().execute(sql`vacuum analyze events`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const ms = (started) => Number(process.hrtime.bigint() - started) / 1e6;

async function median(fn, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await fn();
    times.push(ms(started));
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function measure() {
  const close = await migrateAndSeedUsers(USERS);
  try {
    const { searchEvents, countEventsByKind } = await import('../lib/events/index.ts');
    const { getDb } = await import('../lib/db/index.ts');
    const { sql } = await import('drizzle-orm');
    const seconds = await seedEvents(getDb, sql);
    const [{ n }] = await getDb().execute(sql`select count(*)::int as n from events`);
    console.log(`bench: ${n} events inserted in ${seconds.toFixed(1)} s (with every Event Discovery index)`);

    const FILTERS = [
      ['default view (last 7 days)', { range: '7d' }],
      ['failed user sign-ins, 30 days', { range: '30d', type: 'Authentication', subType: 'User Sign-In', outcome: 'failure' }],
      ['one user, all time', { range: 'all', user: 'bench.user4242@example.com' }],
      ['one IP, all time', { range: 'all', ip: '10.42.3.0' }],
      ['one admin actor, 30 days', { range: '30d', actor: 'admin7@example.com' }],
      ['type Registration Code, all time', { range: 'all', type: 'Registration Code' }],
    ];
    const rows = [];
    for (const [label, filter] of FILTERS) {
      await searchEvents(filter); // warm the cache once
      const first = await median(() => searchEvents(filter));
      // The deep page: walk 100 pages down by keyset, then time that page.
      let before;
      let depth = 0;
      for (; depth < 100; depth++) {
        const page = await searchEvents({ ...filter, before });
        if (!page.older) break;
        before = page.older;
      }
      const deep = await median(() => searchEvents({ ...filter, before }));
      let total = 0;
      const counts = await median(async () => {
        total = (await countEventsByKind(filter)).reduce((s, c) => s + c.count, 0);
      });
      const ok = first < TARGETS.pageMs && deep < TARGETS.pageMs && counts < TARGETS.countsMs ? 'yes' : 'OVER';
      rows.push({ filter: label, matches: total, 'first page ms': first.toFixed(1), [`page ${depth + 1} ms`.padEnd(3)]: deep.toFixed(1), 'counts ms': counts.toFixed(1), ok });
    }
    console.table(rows.map(({ filter, matches, ok, 'first page ms': f, 'counts ms': c, ...deep }) => ({ filter, matches, 'first page ms': f, 'deep page ms': Object.values(deep)[0], 'deep page': Object.keys(deep)[0].trim(), 'counts ms': c, ok })));
    console.log(`targets: first and deep page < ${TARGETS.pageMs} ms, counts < ${TARGETS.countsMs} ms (median of 5 after a warm-up); ${describeMachine()}`);
    process.exitCode = rows.every((r) => r.ok === 'yes') ? 0 : 1;
  } finally {
    await close();
  }
}

if (values.measure) await measure();
else await main();
