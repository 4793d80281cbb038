import type { TestProject } from 'vitest/node';
import { connectPostgres } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { databaseUrl, postgresReachable, testAdminUrl, withAdminSql, type TestDriver } from './test-database';

declare module 'vitest' {
  export interface ProvidedContext {
    testDriver: TestDriver;
    testAdminUrl: string;
    templateDatabase: string;
  }
}

/**
 * Chooses the database for this run: a real Postgres (fresh databases cloned from a migrated
 * template, one per test file) or, when none is reachable outside CI or ONRAMP_TEST_DRIVER=pglite,
 * an in-memory PGlite per test file.
 */
export default async function setup(project: TestProject) {
  const adminUrl = testAdminUrl();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let driver: TestDriver = process.env.ONRAMP_TEST_DRIVER === 'pglite' ? 'pglite' : 'postgres';
  if (driver === 'postgres' && !(await postgresReachable(adminUrl))) {
    if (process.env.CI) throw new Error(`CI: Postgres is not reachable at ${adminUrl}`);
    console.warn(`[tests] No Postgres at ${adminUrl}; running the database tests on PGlite instead.`);
    driver = 'pglite';
  }
  const template = `onramp_test_${runId}`;
  if (driver === 'postgres') {
    await withAdminSql(adminUrl, (sql) => sql.unsafe(`create database "${template}"`));
    const handle = connectPostgres(databaseUrl(adminUrl, template), { max: 1 });
    await runMigrations(handle.db);
    await handle.close();
  }
  console.log(`[tests] database driver: ${driver}`);
  project.provide('testDriver', driver);
  project.provide('testAdminUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    if (driver !== 'postgres' || process.env.ONRAMP_KEEP_TEST_DB) return;
    await withAdminSql(adminUrl, async (sql) => {
      const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`${template}%`}`;
      for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    });
  };
}
