import 'server-only';
import { migrationsPending, runMigrations } from '@/db/migrate';
import { AdminInputError, issueSetupToken, upsertAdmin } from '@/lib/admins';
import { getDatabaseHandle, getDb } from '@/lib/db';
import { EnvError, getEnv } from '@/lib/env';
import { startJobRunner } from '@/lib/jobs';
import { errorFields, log } from '@/lib/log';
import { ensureAccountSettings } from '@/lib/settings';

/** Explains a database connection failure in words an operator can act on. */
export function describeDatabaseError(error: unknown, url: string | undefined): string {
  const e = error as { code?: string; message?: string };
  const where = url ? (() => { try { const u = new URL(url); return `${u.hostname}:${u.port || 5432}`; } catch { return 'DATABASE_URL'; } })() : 'the embedded database';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Cannot reach Postgres at ${where}: connection refused. Is the server running, and is DATABASE_URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve the Postgres host in DATABASE_URL (${where}).`;
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `Timed out connecting to Postgres at ${where}.`;
    case '28P01':
    case '28000':
      return `Postgres at ${where} refused the user or password in DATABASE_URL.`;
    case '3D000':
      return `The database named in DATABASE_URL does not exist on ${where}. Create it first.`;
    default:
      return `Database error at ${where}: ${e.message ?? String(error)}`;
  }
}

/**
 * Runs once per process at start (instrumentation.ts): validate the configuration, migrate, make
 * sure the settings row exists, make sure there is a way in for the first admin, and start the
 * periodic jobs (lib/jobs).
 */
export async function startOnramp(): Promise<void> {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`\nOnramp cannot start. ${error.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
  if (env.generatedSecrets.length > 0) {
    log.warn(
      `Development secrets generated and stored in ${env.DATA_DIR}/dev-secrets.json: ${env.generatedSecrets.join(', ')}. Set them explicitly in production.`,
    );
  }
  try {
    const result = await runMigrations(getDb());
    await ensureAccountSettings();
    log.info('database ready', {
      driver: getDatabaseHandle().driver,
      migrationsApplied: result.applied,
      pending: await migrationsPending(getDb()),
    });
  } catch (error) {
    console.error(`\nOnramp cannot start. ${describeDatabaseError(error, env.DATABASE_URL)}\n`);
    log.error('database start failed', errorFields(error));
    process.exit(1);
  }
  await ensureFirstAdmin(env);
  startJobRunner();
}

async function ensureFirstAdmin(env: ReturnType<typeof getEnv>) {
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
    try {
      const result = await upsertAdmin({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
      if (result.created) log.info('admin created from ADMIN_EMAIL', { email: env.ADMIN_EMAIL });
      else if (result.passwordChanged) log.info('admin password updated from ADMIN_PASSWORD', { email: env.ADMIN_EMAIL });
    } catch (error) {
      if (error instanceof AdminInputError) {
        console.error(`\nOnramp cannot start. ADMIN_${error.field === 'email' ? 'EMAIL' : 'PASSWORD'}: ${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
    return;
  }
  const setup = await issueSetupToken();
  if (setup) {
    const url = `${env.APP_URL}/setup/${setup.token}`;
    // The one place a token is printed on purpose: the operator needs it to create the first admin.
    console.log(`\n  No admin exists yet. Create the first one within the hour at:\n\n    ${url}\n`);
  }
}
