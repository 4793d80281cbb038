// Starts one Onramp server for e2e: creates the run's database if needed, writes the server's output
// to SERVER_LOG (tests read the first-admin setup link from it) and to stderr.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';

const port = process.argv[2] ?? '3100';
const adminSql = postgres(process.env.E2E_ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
const name = new URL(process.env.DATABASE_URL).pathname.slice(1);
try {
  await adminSql.unsafe(`create database "${name}"`);
} catch (error) {
  // Another e2e server created it first.
  if (!['42P04', '23505'].includes(error.code)) throw error;
} finally {
  await adminSql.end();
}

const logFile = process.env.SERVER_LOG ?? `test-results/server-${port}.log`;
mkdirSync(path.dirname(logFile), { recursive: true });
const log = createWriteStream(logFile, { flags: 'w' });
const child = spawn(process.execPath, ['server.mjs'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
for (const stream of [child.stdout, child.stderr]) {
  stream.on('data', (chunk) => {
    log.write(chunk);
    process.stderr.write(chunk);
  });
}
const stop = (signal) => child.kill(signal);
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
child.on('exit', (code) => process.exit(code ?? 0));
