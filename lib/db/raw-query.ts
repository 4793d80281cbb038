import 'server-only';
import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { getDatabaseHandle } from './database-handle';

/**
 * One hand-written statement on the hot paths (redeeming, bulk generation), run on the driver
 * directly: no query building per call, and on PostgreSQL a named prepared statement per connection,
 * so the server plans it once. Parameters are positional ($1…) and cast in the SQL text; rows come
 * back with the column names the SQL gives them. Outside a transaction: use it for statements that
 * are atomic on their own.
 */
export async function queryRows<T>(text: string, params: unknown[]): Promise<T[]> {
  const handle = getDatabaseHandle();
  const client = (handle.db as unknown as { $client: unknown }).$client;
  if (handle.driver === 'postgres') {
    return (await (client as Sql).unsafe(text, params as never[], { prepare: true })) as unknown as T[];
  }
  return (await (client as PGlite).query<T>(text, params)).rows;
}
