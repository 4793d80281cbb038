#!/usr/bin/env node
// POST /api/v1/client/register under load, each request with its own valid code: seeds users in a
// fresh PostgreSQL database and generates their codes with the product's code (through tsx), starts
// the production server (`node server.mjs`; run `npm run build` first) on a free loopback port,
// warms it up, then redeems the codes at the given concurrency, bounded in count and time. Prints
// requests/s, p50 and p99 against the targets and checks successes against the device rows; then
// stops the server and drops the database.
//   node bench/redeem.mjs [--codes 5000] [--concurrency 32] [--warmup 500] [--seconds 120] [--keep] [--profile DIR] [--direct]
// --profile writes a V8 CPU profile of the server (node --cpu-prof) into DIR when it stops.
// --direct skips HTTP: calls the product's redeemCode in one process at the same concurrency, to show
// what the redemption itself costs (CPU per call here and in PostgreSQL) apart from Next.js.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { benchEnv, describeMachine, migrateAndSeedUsers, ROOT, runUnderTsx, withFreshDatabase } from './support/bench-database.mjs';

const TARGETS = { requestsPerSecond: 1_400, p99Ms: 50 };
const { values } = parseArgs({
  options: {
    codes: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '120' },
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
      const prepared = runUnderTsx(fileURLToPath(import.meta.url), ['--prepare', '--users', String(warmup + measured)], env, { capture: true });
      if (prepared.status !== 0) return prepared.status;
      const codes = prepared.stdout.split('\n').filter(Boolean);
      if (codes.length !== warmup + measured) throw new Error(`bench: expected ${warmup + measured} codes, got ${codes.length}`);

      const port = await freePort();
      const server = await startServer({ ...env, PORT: String(port), HOST: '127.0.0.1', APP_URL: `http://127.0.0.1:${port}` });
      try {
        const url = `http://127.0.0.1:${port}/api/v1/client/register`;
        const concurrency = Number(values.concurrency);
        const deadline = Date.now() + Number(values.seconds) * 1000;
        const redeem = (from, count) => ({
          url,
          count,
          concurrency,
          deadline,
          bodyOf: (i) => JSON.stringify({ code: codes[from + i], device: { name: `Bench device ${from + i}`, platform: PLATFORMS[i % PLATFORMS.length] } }),
        });
        const warm = await load(redeem(0, warmup));
        console.log(`bench: warm-up ${warm.latencies.length} requests ${JSON.stringify(warm.statuses)}`);
        // What this machine gives a route that does no work, at the same concurrency: the ceiling here.
        const healthCpu = (await cpuTimes(server.pid, databaseUrl)).server;
        const health = await load({ url: `http://127.0.0.1:${port}/api/health`, count: 100_000, concurrency, deadline: Math.min(deadline, Date.now() + 5_000) });
        console.log(`bench: baseline GET /api/health: ${health.rate.toFixed(0)} requests/s, p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, server CPU ${(((await cpuTimes(server.pid, databaseUrl)).server - healthCpu) * 1000 / health.latencies.length).toFixed(2)} ms per request`);
        const cpuBefore = await cpuTimes(server.pid, databaseUrl);
        const run = await load(redeem(warmup, measured));
        const cpuAfter = await cpuTimes(server.pid, databaseUrl);
        run.cpu = { server: cpuAfter.server - cpuBefore.server, database: cpuAfter.database - cpuBefore.database };
        return report(run, warm, databaseUrl, concurrency);
      } finally {
        await stopServer(server);
      }
    },
    { keep: values.keep },
  );
  process.exitCode = status;
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
    const backendCpu = (pids) => pids.reduce((sum, pid) => sum + procCpuSeconds(pid), 0);
    const pids = await backendPids();
    const dbBefore = backendCpu(pids);
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await redeemAll(warmup, codes.length);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const dbSeconds = backendCpu(pids) - dbBefore;
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
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`bench: the server exited with ${code} before it was ready`);
  });
  const ready = (async () => {
    const started = Date.now();
    while (Date.now() - started < 120_000) {
      try {
        if ((await fetch(`http://127.0.0.1:${env.PORT}/api/ready`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('bench: the server was not ready within 120 s');
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  exited.catch(() => {}); // a later exit is the stop we asked for
  console.log(`bench: server ready on port ${env.PORT} (pid ${child.pid})`);
  return child;
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

/**
 * CPU seconds used so far (Linux /proc, user + system) by the server process and by the PostgreSQL
 * backends connected to the bench database (the server's pool is kept open, so the same backends
 * serve the whole run). Undefined figures where /proc can't be read.
 */
async function cpuTimes(serverPid, databaseUrl) {
  const cpuOf = procCpuSeconds;
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const backends = await sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  await sql.end({ timeout: 5 });
  return { server: cpuOf(serverPid), database: backends.reduce((sum, b) => sum + cpuOf(b.pid), 0) };
}

async function report(run, warm, databaseUrl, concurrency) {
  const { rate, p50, p99 } = run;
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [counts] = await sql`select (select count(*) from devices)::int as devices,
    (select count(*) from registration_codes where status = 'used')::int as used`;
  await sql.end({ timeout: 5 });
  const successes = (run.statuses[201] ?? 0) + (warm.statuses[201] ?? 0);
  console.log(`POST /api/v1/client/register  concurrency ${concurrency}  ${run.latencies.length} requests, each with its own code, in ${run.seconds.toFixed(2)} s`);
  console.table([
    { figure: 'requests/s', value: rate.toFixed(0), target: `≥ ${TARGETS.requestsPerSecond}`, ok: rate >= TARGETS.requestsPerSecond ? 'yes' : 'UNDER' },
    { figure: 'p50 ms', value: p50.toFixed(1), target: '', ok: '' },
    { figure: 'p99 ms', value: p99.toFixed(1), target: `< ${TARGETS.p99Ms}`, ok: p99 < TARGETS.p99Ms ? 'yes' : 'OVER' },
  ]);
  const perRequest = (seconds) => `${((seconds * 1000) / run.latencies.length).toFixed(2)} ms`;
  console.log(`CPU per request: server ${perRequest(run.cpu.server)}, PostgreSQL backends ${perRequest(run.cpu.database)}`);
  console.log(`statuses ${JSON.stringify(run.statuses)}`);
  console.log(`successes (201, warm-up included) ${successes}; device rows ${counts.devices}; used codes ${counts.used}`);
  console.log(`bench: ${describeMachine()}`);
  const consistent = successes === counts.devices && counts.devices === counts.used;
  if (!consistent) console.log('bench: MISMATCH between successes, devices and used codes');
  return consistent && rate >= TARGETS.requestsPerSecond && p99 < TARGETS.p99Ms ? 0 : 1;
}

if (values.prepare) await prepare();
else if (values['direct-run']) await directRun();
else await main();
