import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { connectPglite, connectPostgres, rowsOf } from './client';
import { migrationsPending, runMigrations } from './migrate';
import { databaseUrl, withAdminSql } from '@/lib/testing/test-database';

async function tableNames(db: ReturnType<typeof connectPglite>['db']) {
  const rows = rowsOf<{ tablename: string }>(
    await db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`),
  );
  return rows.map((r) => r.tablename);
}

describe('migrations', () => {
  it('apply on PGlite and are idempotent', async () => {
    const handle = connectPglite();
    try {
      const first = await runMigrations(handle.db);
      expect(first.applied).toBe(first.total);
      expect(first.total).toBeGreaterThan(0);
      expect(await runMigrations(handle.db)).toEqual({ applied: 0, total: first.total });
      expect(await migrationsPending(handle.db)).toBe(0);
      expect(await tableNames(handle.db)).toEqual(
        expect.arrayContaining(['admins', 'users', 'account_settings', 'events', 'outbox']),
      );
    } finally {
      await handle.close();
    }
  });

  it.runIf(inject('testDriver') === 'postgres')(
    'run once on Postgres when two instances start together (advisory lock)',
    async () => {
      const adminUrl = inject('testAdminUrl');
      const name = `${inject('templateDatabase')}_m${randomBytes(3).toString('hex')}`;
      await withAdminSql(adminUrl, (s) => s.unsafe(`create database "${name}"`));
      const a = connectPostgres(databaseUrl(adminUrl, name), { max: 1 });
      const b = connectPostgres(databaseUrl(adminUrl, name), { max: 1 });
      try {
        expect(await migrationsPending(a.db)).toBeGreaterThan(0);
        const [ra, rb] = await Promise.all([runMigrations(a.db), runMigrations(b.db)]);
        expect(ra.applied + rb.applied).toBe(ra.total);
        expect([ra.applied, rb.applied]).toContain(0);
        expect(await migrationsPending(b.db)).toBe(0);
        const pg = await tableNames(a.db);
        expect(pg).toEqual(expect.arrayContaining(['admins', 'users', 'events']));
        // Both drivers end with the same tables.
        const lite = connectPglite();
        await runMigrations(lite.db);
        expect(await tableNames(lite.db)).toEqual(pg);
        await lite.close();
      } finally {
        await a.close();
        await b.close();
      }
    },
  );
});
