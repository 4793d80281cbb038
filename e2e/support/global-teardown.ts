import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import postgres from 'postgres';
import { parseMail } from '../../lib/testing/smtp-sink';
import { KNOWN_PASSWORDS } from './fixtures';
import { e2eSettings } from './settings';
import { MAIL_DIR } from './smtp-global-setup';

/**
 * After the run: scans every event the run stored for secrets (lib/testing/scan-events-cli.ts, with
 * the servers' key, the passwords the specs typed and the emails the SMTP server kept), then drops
 * this run's database (the servers are stopped by then) whatever the scan found. Findings fail the run.
 */
export default async function teardown() {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) return;
  try {
    scanEventsForSecrets();
  } finally {
    if (!process.env.ONRAMP_KEEP_TEST_DB) await dropDatabase(url);
  }
}

const TSX_CLI = path.join(path.dirname(createRequire(path.join(process.cwd(), 'package.json')).resolve('tsx/package.json')), 'dist', 'cli.mjs');

/** The subjects and bodies of every email the e2e SMTP server accepted. */
function sentEmails(): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(MAIL_DIR);
  } catch {
    return [];
  }
  return files.flatMap((f) => {
    const mail = parseMail((JSON.parse(readFileSync(path.join(MAIL_DIR, f), 'utf8')) as { raw: string }).raw);
    return [mail.header('subject'), mail.text, mail.html].filter((s): s is string => !!s);
  });
}

function scanEventsForSecrets(): void {
  const env = { ...process.env, ...e2eSettings().serverEnv(3100), NODE_ENV: 'production' as const, LOG_LEVEL: 'warn' };
  const input = JSON.stringify({ knownSecrets: KNOWN_PASSWORDS, messageBodies: sentEmails() });
  const scan = spawnSync(process.execPath, [TSX_CLI, '--conditions=react-server', 'lib/testing/scan-events-cli.ts'], { env, input, encoding: 'utf8', timeout: 120_000 });
  if (scan.status !== 0) {
    throw new Error(`The secret scan of the e2e events failed (exit ${scan.status ?? scan.signal}):\n${scan.stdout}${scan.stderr}`);
  }
  console.log(`[e2e] ${scan.stdout.trim()}`);
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
