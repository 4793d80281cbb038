import 'server-only';
import path from 'node:path';
import { connectPglite, connectPostgres, type DatabaseHandle, type Database } from '@/db/client';
import { getEnv } from '@/lib/env';

export type { Database, Executor, Transaction } from '@/db/client';

const globalForDb = globalThis as unknown as { __onrampDb?: DatabaseHandle };

/** The process-wide database: postgres.js when DATABASE_URL is set, else PGlite under DATA_DIR. */
export function getDatabaseHandle(): DatabaseHandle {
  if (!globalForDb.__onrampDb) {
    const env = getEnv();
    globalForDb.__onrampDb = env.DATABASE_URL
      ? connectPostgres(env.DATABASE_URL)
      : connectPglite(path.resolve(env.DATA_DIR, 'pglite'));
  }
  return globalForDb.__onrampDb;
}

export function getDb(): Database {
  return getDatabaseHandle().db;
}

/** Tests point the app at their own database. */
export function setDatabaseHandle(handle: DatabaseHandle | undefined): void {
  globalForDb.__onrampDb = handle;
}
