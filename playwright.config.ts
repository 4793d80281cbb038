import { defineConfig } from '@playwright/test';
import { e2eSettings, findChromium } from './e2e/support/settings';

/**
 * e2e against the production build (`npm run build` first), on a fresh Postgres database.
 * Two servers share it: :3100 as deployed, :3101 with the proxy's redirects switched off, to prove
 * every page, action and route authorizes itself.
 */
const settings = e2eSettings();
const executablePath = findChromium();

const server = (port: number, extra: Record<string, string> = {}) => ({
  command: `node e2e/support/start-server.mjs ${port}`,
  url: `http://127.0.0.1:${port}/api/ready`,
  timeout: 120_000,
  reuseExistingServer: false,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  env: { ...settings.serverEnv(port), ...extra },
});

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  globalSetup: './e2e/support/smtp-global-setup.ts',
  globalTeardown: './e2e/support/global-teardown.ts',
  webServer: [server(3100), server(3101, { ONRAMP_PROXY_REDIRECTS: 'off' })],
  projects: [
    { name: 'setup', testMatch: /first-admin\.setup\.ts/, use: { baseURL: 'http://127.0.0.1:3100' } },
    { name: 'portal', dependencies: ['setup'], testIgnore: /\.setup\.ts/, use: { baseURL: 'http://127.0.0.1:3100' } },
    {
      name: 'portal-without-proxy',
      dependencies: ['setup'],
      // Process-level startup checks do not depend on the proxy; they run once, in 'portal'.
      testIgnore: [/\.setup\.ts/, /startup\.spec\.ts/],
      use: { baseURL: 'http://127.0.0.1:3101' },
    },
  ],
});
