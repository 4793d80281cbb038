import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const E2E_METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef0123';

/** Values every e2e process agrees on (the config is loaded by the runner and by each worker). */
export function e2eSettings() {
  process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}`;
  const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/onramp_e2e_${process.env.E2E_RUN_ID}`;
  process.env.E2E_DATABASE_URL = dbUrl.toString();
  return {
    databaseUrl: dbUrl.toString(),
    adminUrl,
    serverEnv(port: number): Record<string, string> {
      return {
        PORT: String(port),
        HOST: '127.0.0.1',
        APP_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: dbUrl.toString(),
        E2E_ADMIN_DATABASE_URL: adminUrl,
        DATA_DIR: `test-results/data-${port}`,
        AUTH_SECRET: 'e2e-auth-secret-0123456789abcdef0123456789abcdef',
        ONRAMP_SECRET_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
        NEXT_TELEMETRY_DISABLED: '1',
        // /api/metrics exists in e2e; authorization.spec.ts proves it refuses callers without this token.
        METRICS_TOKEN: E2E_METRICS_TOKEN,
        SERVER_LOG: `test-results/server-${port}.log`,
        // The SMTP server of e2e/support/smtp-global-setup.ts: specs read the emails the app sends.
        SMTP_URL: 'smtp://127.0.0.1:2525',
        MAIL_FROM: 'Onramp <noreply@onramp.test>',
      };
    },
  };
}

/** Debian's or any `chromium` on PATH, or PLAYWRIGHT_CHROMIUM_PATH; undefined lets Playwright use its own. */
export function findChromium(): string | undefined {
  const configured = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (configured) return configured;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found && existsSync(found)) return found;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}
