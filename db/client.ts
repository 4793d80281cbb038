import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database or an open transaction: domain functions accept either so callers can compose them. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** postgres.js against a real server. */
export function connectPostgres(url: string, options: { max?: number } = {}): DatabaseHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 10,
    idle_timeout: 60,
    onnotice: () => {},
  });
  const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Database;
  return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
}

/** Embedded PGlite: persisted under dataDir, or in memory when dataDir is undefined. */
export function connectPglite(dataDir?: string): DatabaseHandle {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Database;
  return { db, driver: 'pglite', close: () => client.close() };
}

/** Rows of a raw `db.execute()` result, whichever driver ran it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export { schema };
export { caseFoldedKey } from './case-folded-key';
