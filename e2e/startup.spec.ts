import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';

/** Bad configuration stops the server at once with a message that names the problem. */
function startServer(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['server.mjs'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '3190', HOST: '127.0.0.1', DATA_DIR: 'test-results/data-startup', NEXT_TELEMETRY_DISABLED: '1', ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const SECRETS = {
  AUTH_SECRET: 'startup-test-secret-0123456789abcdef0123456789',
  ONRAMP_SECRET_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  APP_URL: 'http://127.0.0.1:3190',
};

test.describe('startup with bad configuration', () => {
  test('a malformed DATABASE_URL names the variable', async () => {
    const { code, output } = await startServer({ ...SECRETS, DATABASE_URL: 'mysql://db/onramp' });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL must be a URL like postgres://');
  });

  test('a missing secret in production names it', async () => {
    const { code, output } = await startServer({ APP_URL: SECRETS.APP_URL, ONRAMP_SECRET_KEY: SECRETS.ONRAMP_SECRET_KEY });
    expect(code).toBe(1);
    expect(output).toContain('AUTH_SECRET is required in production');
  });

  test('an unreachable Postgres says so', async () => {
    const { code, output } = await startServer({ ...SECRETS, DATABASE_URL: 'postgres://onramp@127.0.0.1:1/onramp' });
    expect(code).toBe(1);
    expect(output).toContain('Cannot reach Postgres at 127.0.0.1:1: connection refused');
  });
});
