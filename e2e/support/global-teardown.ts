import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import postgres from 'postgres';
import { parseMail } from '../../lib/testing/smtp-sink';
import { KNOWN_PASSWORDS } from './fixtures';
import { INSTANCE_LOG_DIR, INSTANCE_SECRETS } from './instances';
import { e2eSettings } from './settings';
import { MAIL_DIR } from './smtp-global-setup';

/**
 * After the run: scans every event the run stored (lib/testing/scan-events-cli.ts) and every line the
 * servers logged (lib/testing/scan-logs-cli.ts) for secrets, with the servers' key, the passwords the
 * specs typed and the emails the SMTP server kept; then drops this run's database (the servers are
 * stopped by then) whatever the scans found. Findings of either scan fail the run; both are reported.
 */
export default async function teardown() {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) return;
  try {
    const problems = [runScan('lib/testing/scan-events-cli.ts', 'stored events', {}), runScan('lib/testing/scan-logs-cli.ts', 'server logs', { files: serverLogFiles() })].filter(
      (p): p is string => !!p,
    );
    if (problems.length > 0) throw new Error(problems.join('\n\n'));
  } finally {
    if (!process.env.ONRAMP_KEEP_TEST_DB) await dropDatabase(url);
  }
}

/** Every server log of the run: the two e2e servers and the instances specs started (e2e/support/instances.ts). */
function serverLogFiles(): string[] {
  const list = (dir: string) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => path.join(dir, f));
    } catch {
      return [];
    }
  };
  return [...list('test-results').filter((f) => /server-\d+\.log$/.test(f)), ...list(INSTANCE_LOG_DIR)];
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

/** Runs one scan CLI; returns its report when it found something or failed, else logs its summary. */
function runScan(cli: string, what: string, extra: Record<string, unknown>): string | undefined {
  const serverEnv = e2eSettings().serverEnv(3100);
  const env = { ...process.env, ...serverEnv, NODE_ENV: 'production' as const, LOG_LEVEL: 'warn' };
  const input = JSON.stringify({ knownSecrets: [...KNOWN_PASSWORDS, serverEnv.METRICS_TOKEN, INSTANCE_SECRETS.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY], messageBodies: sentEmails(), ...extra });
  const scan = spawnSync(process.execPath, [TSX_CLI, '--conditions=react-server', cli], { env, input, encoding: 'utf8', timeout: 180_000 });
  if (scan.status !== 0) return `The secret scan of the e2e ${what} failed (exit ${scan.status ?? scan.signal}):\n${scan.stdout}${scan.stderr}`;
  console.log(`[e2e] ${scan.stdout.trim()}`);
  return undefined;
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
