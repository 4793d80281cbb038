#!/usr/bin/env node
// POST /api/v1/client/register under load, each request with its own valid code, calibrated against a
// floor measured in the same run. Seeds users in a fresh PostgreSQL database and generates their codes
// with the product's code (through tsx), a third each for the product and the two floor redeem routes;
// builds the floor app (bench/support/floor-app.mjs: a bare Next.js app whose routes run the design's
// redemption transaction with postgres.js, and the same steps as one statement); starts the production
// server (`node server.mjs`; run `npm run build` first) and the floor app (`next start`) on free
// loopback ports and warms both up. Then, in each round, it loads at the same concurrency with the same
// load generator the floor's bare JSON route, the floor's redeem route (the design's transaction), the
// floor's one-statement redeem route (for information), the product's GET /api/health and the
// product's redemption, each bounded in count and time. Prints requests/s, p50, p99 and the CPU per
// request in the server and in PostgreSQL for each, the issue's target translated to this machine
// (product ≥ 1,400 / 1,800 of the floor redeem route's rate) and successes against device rows for the
// three redeeming routes; then stops the servers and drops the database.
//   node bench/redeem.mjs [--codes 6000] [--concurrency 32] [--warmup 500] [--rounds 3] [--seconds 120] [--keep] [--profile DIR] [--direct]
// --codes is per redeeming route (split over the rounds), and each GET load sends as many requests as
// a redeem round; --seconds bounds each load.
// --profile writes a V8 CPU profile of the product server (node --cpu-prof) into DIR when it stops.
// --direct skips HTTP: calls the product's redeemCode in one process at the same concurrency, to show
// what the redemption itself costs (CPU per call here and in PostgreSQL) apart from Next.js.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { benchEnv, describeMachine, migrateAndSeedUsers, ROOT, runUnderTsx, withFreshDatabase } from './support/bench-database.mjs';
import { buildFloorApp, FLOOR_DIR, removeFloorApp, startFloorApp } from './support/floor-app.mjs';
import { waitUntilReady } from './support/wait-until-ready.mjs';

const TARGETS = { requestsPerSecond: 1_400, p99Ms: 50 };
/** DESIGN.md's floors on the reference machine: a bare Next.js 16 route returning JSON, and the redeem transaction in one. */
const FLOOR_REFERENCE = { jsonPerSecond: 3_300, redeemPerSecond: 1_800 };
const { values } = parseArgs({
  options: {
    codes: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '120' },
    rounds: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    profile: { type: 'string' },
    prepare: { type: 'boolean', default: false },
    direct: { type: 'boolean', default: false },
    'direct-run': { type: 'boolean', default: false },
    users: { type: 'string' },
  },
});
const PLATFORMS = ['windows', 'macos', 'linux', 'ios', 'android'];

async function main() {
  const measured = Number(values.codes);
  const warmup = Number(values.warmup);
  console.log(`bench: ${describeMachine()}`);
  if (!values.direct && !existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) throw new Error('bench: no production build; run `npm run build` first');
  const status = await withFreshDatabase(
    'redeem',
    async (databaseUrl) => {
      const env = benchEnv(databaseUrl);
      if (values.direct) {
        const args = ['--direct-run', '--users', String(warmup + measured), '--warmup', String(warmup), '--concurrency', values.concurrency];
        return runUnderTsx(fileURLToPath(import.meta.url), args, env).status;
      }
      // Each code is single use: the product and each floor redeem route get warmup + measured of their own.
      const targets = ['product', 'floor', 'floor-one'];
      const perTarget = warmup + measured;
      const users = targets.length * perTarget;
      const prepared = runUnderTsx(fileURLToPath(import.meta.url), ['--prepare', '--users', String(users)], env, { capture: true });
      if (prepared.status !== 0) return prepared.status;
      const codes = prepared.stdout.split('\n').filter(Boolean);
      if (codes.length !== users) throw new Error(`bench: expected ${users} codes, got ${codes.length}`);
      const codesOf = Object.fromEntries(targets.map((target, i) => [target, codes.slice(i * perTarget, (i + 1) * perTarget)]));

      try {
        console.log(`bench: floor app built in ${buildFloorApp().toFixed(1)} s (${FLOOR_DIR}); ${describeMachine()}`);
        return await measure(env, databaseUrl, codesOf);
      } finally {
        if (!values.keep) removeFloorApp();
      }
    },
    { keep: values.keep },
  );
  process.exitCode = status;
}

/** Starts both servers, warms them up, runs the rounds of loads and reports; stops the servers. */
async function measure(env, databaseUrl, codesOf) {
  const measured = Number(values.codes);
  const warmup = Number(values.warmup);
  const rounds = Math.max(1, Number(values.rounds));
  const port = await freePort();
  const floorPort = await freePort();
  const server = await startServer({ ...env, PORT: String(port), HOST: '127.0.0.1', APP_URL: `http://127.0.0.1:${port}` });
  let floor;
  try {
    floor = await startFloorApp(env, floorPort);
    const concurrency = Number(values.concurrency);
    const perRound = Math.floor(measured / rounds);
    const seconds = Number(values.seconds);
    const product = `http://127.0.0.1:${port}`;
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    const redeem = (target, url, from, count) => ({
      url,
      count,
      concurrency,
      deadline: Date.now() + seconds * 1000,
      bodyOf: (i) => {
        const n = from + i;
        return JSON.stringify({ code: codesOf[target][n], device: { name: `${target} device ${n}`, platform: PLATFORMS[n % PLATFORMS.length] } });
      },
    });
    const get = (url, count) => ({ url, count, concurrency, deadline: Date.now() + seconds * 1000 });
    // The loads, in this order in every round; each its own server and figures.
    const phases = [
      { name: 'floor GET /api/json', pid: floor.pid, make: () => get(`${floorUrl}/api/json`, perRound) },
      { name: 'floor POST /api/redeem', pid: floor.pid, make: (r) => redeem('floor', `${floorUrl}/api/redeem`, warmup + r * perRound, perRound) },
      { name: 'floor POST /api/redeem-one', pid: floor.pid, make: (r) => redeem('floor-one', `${floorUrl}/api/redeem-one`, warmup + r * perRound, perRound) },
      { name: 'product GET /api/health', pid: server.pid, make: () => get(`${product}/api/health`, perRound) },
      { name: 'product POST /api/v1/client/register', pid: server.pid, make: (r) => redeem('product', `${product}/api/v1/client/register`, warmup + r * perRound, perRound) },
    ];
    const warm = {
      floor: await load(redeem('floor', `${floorUrl}/api/redeem`, 0, warmup)),
      'floor-one': await load(redeem('floor-one', `${floorUrl}/api/redeem-one`, 0, warmup)),
      product: await load(redeem('product', `${product}/api/v1/client/register`, 0, warmup)),
    };
    // GET requests are cheap: warm those routes up with a round's worth each.
    await load(get(`${floorUrl}/api/json`, Math.max(warmup, perRound)));
    await load(get(`${product}/api/health`, Math.max(warmup, perRound)));
    console.log(`bench: warm-up ${warmup} redemptions each: ${Object.entries(warm).map(([target, run]) => `${target} ${JSON.stringify(run.statuses)}`).join(', ')}`);
    // Rounds interleave the loads, so a burst of load from elsewhere on the machine lands on all of them.
    // Server CPU from /proc (the process and its children); PostgreSQL CPU of all the bench database's
    // backends during the load (only one load runs at a time, and an idle backend uses none).
    const runs = phases.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, phase] of phases.entries()) {
        const backends = await backendPids(databaseUrl);
        const before = { server: treeCpuSeconds(phase.pid), database: sumCpuSeconds(backends) };
        const run = await load(phase.make(r));
        run.cpu = { server: treeCpuSeconds(phase.pid) - before.server, database: sumCpuSeconds(backends) - before.database };
        runs[i].push(run);
      }
      console.log(`bench: round ${r + 1}/${rounds}: ${phases.map((p, i) => `${p.name} ${runs[i][r].rate.toFixed(0)}/s`).join(', ')}; ${describeMachine()}`);
    }
    return report(
      phases.map((phase, i) => ({ name: phase.name, ...pool(runs[i]) })),
      warm,
      databaseUrl,
      concurrency,
    );
  } finally {
    if (floor) await stopServer(floor);
    await stopServer(server);
  }
}

/** The rounds of one load taken together: requests/s over their summed time, percentiles over all latencies. */
function pool(runs) {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const statuses = {};
  for (const run of runs) for (const [k, v] of Object.entries(run.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    rates: runs.map((run) => run.rate),
    p50: pct(50),
    p99: pct(99),
    serverCpuMs: (runs.reduce((sum, run) => sum + run.cpu.server, 0) * 1000) / latencies.length,
    databaseCpuMs: (runs.reduce((sum, run) => sum + run.cpu.database, 0) * 1000) / latencies.length,
    statuses,
  };
}

/** Under tsx: migrates, seeds users, generates one code each with the product's code, and prints the codes. */
async function prepare() {
  const close = await migrateAndSeedUsers(Number(values.users));
  try {
    for await (const codes of generateAndExport()) process.stdout.write(`${codes.join('\n')}\n`);
  } finally {
    await close();
  }
}

/**
 * Under tsx, --direct: redeemCode called in this process (no HTTP, no Next.js) by `concurrency`
 * workers, each call with its own code: calls/s and CPU per call, here and in PostgreSQL.
 */
async function directRun() {
  const close = await migrateAndSeedUsers(Number(values.users));
  try {
    const codes = [];
    for await (const page of generateAndExport()) codes.push(...page);
    const { redeemCode } = await import('../lib/registration-codes/index.ts');
    const { getDb } = await import('../lib/db/index.ts');
    const { sql } = await import('drizzle-orm');
    const concurrency = Number(values.concurrency);
    const warmup = Number(values.warmup);
    const statuses = {};
    const redeemAll = async (from, to) => {
      let next = from;
      const worker = async () => {
        while (next < to) {
          const i = next++;
          const result = await redeemCode({ code: codes[i], device: { name: `Bench device ${i}`, platform: PLATFORMS[i % PLATFORMS.length] } }, { ip: '127.0.0.1', userAgent: 'bench' });
          const key = result.ok ? 'ok' : result.code;
          statuses[key] = (statuses[key] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await redeemAll(0, warmup);
    const backendPids = async () => (await getDb().execute(sql`select pid from pg_stat_activity where datname = current_database()`)).map((r) => r.pid);
    const pids = await backendPids();
    const dbBefore = sumCpuSeconds(pids);
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await redeemAll(warmup, codes.length);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const dbSeconds = sumCpuSeconds(pids) - dbBefore;
    const n = codes.length - warmup;
    console.log(`redeemCode in-process, concurrency ${concurrency}: ${n} calls in ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(0)} calls/s`);
    console.log(`CPU per call: this process ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms, PostgreSQL backends ${((dbSeconds * 1000) / n).toFixed(3)} ms`);
    console.log(`results ${JSON.stringify(statuses)}; ${describeMachine()}`);
  } finally {
    await close();
  }
}

/** CPU seconds (user + system) a process has used so far, from Linux /proc; NaN where it can't be read. */
function procCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ
  } catch {
    return NaN;
  }
}

/** Under tsx: one code for every seeded user with the product's code; yields the codes in plain text, a page at a time. */
async function* generateAndExport() {
  const { generateCodesForNewUsers, streamValidCodesCsv } = await import('../lib/registration-codes/index.ts');
  const { SYSTEM_ACTOR } = await import('../lib/events/index.ts');
  const generated = await generateCodesForNewUsers(SYSTEM_ACTOR, { ip: '127.0.0.1', userAgent: 'bench' });
  console.error(`bench: ${values.users} users, ${generated} codes generated`);
  // The codes in plain text come from the product's own CSV export (column 4); bench users' names need no quoting.
  let header = true;
  for await (const chunk of streamValidCodesCsv()) {
    const lines = chunk.split('\r\n').filter(Boolean);
    if (header) {
      lines.shift();
      header = false;
    }
    yield lines.map((line) => line.split(',')[3]);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** `node server.mjs` (production; its errors shown); resolves once /api/ready answers 200. */
async function startServer(env) {
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const child = spawn(process.execPath, [...profile, 'server.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  return waitUntilReady(child, `http://127.0.0.1:${env.PORT}/api/ready`, { timeoutMs: 120_000, label: 'server' });
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/**
 * `count` requests by `concurrency` keep-alive clients, until they are done or the deadline passes;
 * bodyOf(i) is the JSON body of request i (each redemption its own code), or undefined for a GET.
 */
async function load({ url, count, concurrency, deadline, bodyOf = () => undefined }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const statuses = {};
  let next = 0;
  const send = (i) =>
    new Promise((resolve) => {
      const body = bodyOf(i);
      const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const started = process.hrtime.bigint();
      const req = request(url, { method: body === undefined ? 'GET' : 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', () => {
        statuses.error = (statuses.error ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (next < count && Date.now() < deadline) await send(next++);
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { latencies, statuses, seconds, rate: latencies.length / seconds, p50: pct(50), p99: pct(99) };
}

/** CPU seconds used so far by a process and its descendants (Linux /proc); NaN where it can't be read. */
function treeCpuSeconds(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return sumCpuSeconds(tree);
}

function sumCpuSeconds(pids) {
  return pids.reduce((sum, pid) => sum + procCpuSeconds(pid), 0);
}

/** The PostgreSQL backends connected to the bench database (both servers' pools), this query's own left out. */
async function backendPids(databaseUrl) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const rows = await sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  await sql.end({ timeout: 5 });
  return rows.map((r) => r.pid);
}

const RATIO_TARGET = TARGETS.requestsPerSecond / FLOOR_REFERENCE.redeemPerSecond;

/**
 * The loads side by side, the issue's target translated to this machine (see bench/README.md),
 * and successes against device rows for both redeeming routes. 0 when the counts agree and the
 * product redeems at ≥ 1,400 / 1,800 of the floor route's rate.
 */
async function report(results, warm, databaseUrl, concurrency) {
  const [json, floorRedeem, floorOne, health, productRedeem] = results;
  console.log(`concurrency ${concurrency}; ${results.map((r) => `${r.name}: ${r.requests} requests in ${r.seconds.toFixed(2)} s, ${JSON.stringify(r.statuses)}`).join('; ')}`);
  console.table(
    results.map((r) => ({
      load: r.name,
      'requests/s': Number(r.rate.toFixed(0)),
      'per round': r.rates.map((x) => x.toFixed(0)).join(' '),
      'p50 ms': Number(r.p50.toFixed(1)),
      'p99 ms': Number(r.p99.toFixed(1)),
      'server CPU ms/req': Number(r.serverCpuMs.toFixed(2)),
      'PostgreSQL CPU ms/req': Number(r.databaseCpuMs.toFixed(2)),
    })),
  );
  const ratio = productRedeem.rate / floorRedeem.rate;
  const pct = (x) => `${(x * 100).toFixed(0)} %`;
  console.log(`floor redeem / floor bare JSON: ${pct(floorRedeem.rate / json.rate)} (reference machine: ${FLOOR_REFERENCE.redeemPerSecond} / ${FLOOR_REFERENCE.jsonPerSecond} = ${pct(FLOOR_REFERENCE.redeemPerSecond / FLOOR_REFERENCE.jsonPerSecond)})`);
  console.log(`product GET /api/health / floor bare JSON: ${pct(health.rate / json.rate)}`);
  console.log(
    `target here: product redeem ≥ ${TARGETS.requestsPerSecond} / ${FLOOR_REFERENCE.redeemPerSecond} = ${pct(RATIO_TARGET)} of the floor redeem route = ${(RATIO_TARGET * floorRedeem.rate).toFixed(0)} req/s; ` +
      `measured ${productRedeem.rate.toFixed(0)} req/s = ${pct(ratio)}: ${ratio >= RATIO_TARGET ? 'met' : 'NOT MET'}`,
  );
  console.log(`for information: product redeem / floor redeem in one statement (no rate-limit counters): ${pct(productRedeem.rate / floorOne.rate)}; floor one statement / floor bare JSON: ${pct(floorOne.rate / json.rate)}`);
  console.log(`p99: product ${productRedeem.p99.toFixed(1)} ms vs floor redeem ${floorRedeem.p99.toFixed(1)} ms (${(productRedeem.p99 / floorRedeem.p99).toFixed(2)}×); the reference target is < ${TARGETS.p99Ms} ms`);
  console.log(`absolute targets (reference machine, not this one): ≥ ${TARGETS.requestsPerSecond} req/s: ${productRedeem.rate >= TARGETS.requestsPerSecond ? 'yes' : 'no'}; p99 < ${TARGETS.p99Ms} ms: ${productRedeem.p99 < TARGETS.p99Ms ? 'yes' : 'no'}`);

  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [counts] = await sql`select
    (select count(*) from devices where name like 'product device %')::int as "productDevices",
    (select count(*) from devices where name like 'floor device %')::int as "floorDevices",
    (select count(*) from devices where name like 'floor-one device %')::int as "floorOneDevices",
    (select count(*) from registration_codes where status = 'used')::int as used`;
  await sql.end({ timeout: 5 });
  const successes = (target, run) => (run.statuses[201] ?? 0) + (warm[target].statuses[201] ?? 0);
  const product = successes('product', productRedeem);
  const floor = successes('floor', floorRedeem);
  const floorOneSuccesses = successes('floor-one', floorOne);
  console.log(
    `successes (201, warm-up included): product ${product}, device rows ${counts.productDevices}; floor ${floor}, device rows ${counts.floorDevices}; ` +
      `floor one statement ${floorOneSuccesses}, device rows ${counts.floorOneDevices}; used codes ${counts.used}`,
  );
  console.log(`bench: ${describeMachine()}`);
  const consistent =
    product === counts.productDevices &&
    floor === counts.floorDevices &&
    floorOneSuccesses === counts.floorOneDevices &&
    counts.used === product + floor + floorOneSuccesses;
  if (!consistent) console.log('bench: MISMATCH between successes, devices and used codes');
  return consistent && ratio >= RATIO_TARGET ? 0 : 1;
}

if (values.prepare) await prepare();
else if (values['direct-run']) await directRun();
else await main();
