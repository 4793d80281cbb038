import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { connectPglite, schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { verifyPassword } from '@/lib/passwords';

/** Runs `npm run admin -- …` for real: a child process with the password on stdin. */
function runCli(args: string[], stdin: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), ['--conditions=react-server', 'lib/cli/admin.ts', ...args], {
      env: { PATH: process.env.PATH, NODE_ENV: 'development', ...env } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
    child.stdin.end(stdin);
  });
}

// Each case starts real tsx child processes (a cold start is 5–20 s, slower on a loaded 2-core machine).
describe('admin CLI', { timeout: 180_000 }, () => {
  it.runIf(inject('testDriver') === 'postgres')('creates an admin on Postgres from a password on stdin, then updates it', async () => {
    const env = { DATABASE_URL: process.env.ONRAMP_TEST_DATABASE_URL!, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'onramp-cli-')) };
    const created = await runCli(['create', '--email', 'cli.admin@example.com', '--name', 'Cli'], 'a long cli password\n', env);
    expect(created.output).toContain('Admin cli.admin@example.com created');
    expect(created.code).toBe(0);
    const [row] = await getDb().select().from(schema.admins).where(eq(schema.admins.email, 'cli.admin@example.com'));
    expect(row?.name).toBe('Cli');
    expect(await verifyPassword(row?.passwordHash, 'a long cli password')).toBe(true);

    const updated = await runCli(['create', '--email', 'cli.admin@example.com'], 'another long password', env);
    expect(updated.output).toContain('updated');
    const [after] = await getDb().select().from(schema.admins).where(eq(schema.admins.id, row!.id));
    expect(after!.sessionVersion).toBe(row!.sessionVersion + 1);
  });

  it('works on the embedded database and refuses bad input clearly', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'onramp-cli-'));
    const short = await runCli(['create', '--email', 'x@example.com'], 'short', { DATA_DIR: dataDir });
    expect(short.code).toBe(1);
    expect(short.output).toContain('Use at least 12 characters');
    const usage = await runCli(['create'], '', { DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
    expect(usage.output).toContain('Usage: npm run admin -- create --email');

    const ok = await runCli(['create', '--email', 'lite@example.com'], 'a long enough password', { DATA_DIR: dataDir });
    expect(ok.output).toContain('created');
    const lite = connectPglite(path.join(dataDir, 'pglite'));
    try {
      const rows = await lite.db.select().from(schema.admins);
      expect(rows.map((r) => r.email)).toEqual(['lite@example.com']);
    } finally {
      await lite.close();
    }
  });
});
