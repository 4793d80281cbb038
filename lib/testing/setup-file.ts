import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectPglite, connectPostgres, type DatabaseHandle } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { setDatabaseHandle } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { describeFindings, rememberedSecrets, scanEventsForSecrets } from './scan-events-for-secrets';
import { databaseUrl, withAdminSql } from './test-database';

/** Every test file gets its own fresh database, so files run in parallel without seeing each other. */
let handle: DatabaseHandle | undefined;

process.env.DATA_DIR ??= `.test-data/${process.pid}`;
process.env.APP_URL ??= 'http://localhost:3000';
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64url');
process.env.ONRAMP_SECRET_KEY ??= randomBytes(32).toString('hex');
delete process.env.DATABASE_URL;
resetEnvCache();

beforeAll(async () => {
  const driver = inject('testDriver');
  if (driver === 'postgres') {
    const adminUrl = inject('testAdminUrl');
    const name = `${inject('templateDatabase')}_${randomBytes(4).toString('hex')}`;
    await withAdminSql(adminUrl, (sql) => sql.unsafe(`create database "${name}" template "${inject('templateDatabase')}"`));
    process.env.ONRAMP_TEST_DATABASE_URL = databaseUrl(adminUrl, name);
    handle = connectPostgres(process.env.ONRAMP_TEST_DATABASE_URL, { max: 5 });
  } else {
    handle = connectPglite();
    await runMigrations(handle.db);
  }
  setDatabaseHandle(handle);
});

/*
 * After the file's own afterAll hooks (vitest runs them in reverse order: this one, registered first,
 * runs last), every event the file's tests stored is scanned for secrets; findings fail the file.
 * Writes the event writer refused stored nothing, so they can't trip it.
 */
afterAll(async () => {
  try {
    const findings = handle ? await scanEventsForSecrets(handle.db, { knownSecrets: rememberedSecrets() }) : [];
    if (findings.length > 0) throw new Error(`The secret scan of this file's events failed.\n${describeFindings(findings)}`);
  } finally {
    setDatabaseHandle(undefined);
    await handle?.close();
  }
});
