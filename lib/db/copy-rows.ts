import 'server-only';
import { finished } from 'node:stream/promises';
import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import type { Executor } from '@/db/client';
import { getDatabaseHandle } from './database-handle';

/** A value of one COPY column: text as it is, null as SQL NULL. */
export type CopyValue = string | null;

/** Rows ready for one COPY: built ahead (while the database works on something else), sent by copyRows. */
export interface PreparedCopy {
  table: string;
  columns: readonly string[];
  /** The rows in COPY's text format. */
  text: string;
  rowCount: number;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function escapeValue(value: CopyValue): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]!) : value;
}

/**
 * Rows for a COPY into `table`, in COPY's text format: tab between columns, \N for NULL, backslash,
 * tab, newline and CR escaped. Table and column names are the caller's constants (plain identifiers).
 */
export function prepareCopy(table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): PreparedCopy {
  for (const name of [table, ...columns]) if (!IDENTIFIER.test(name)) throw new Error(`prepareCopy: not a plain identifier: ${name}`);
  let text = '';
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`prepareCopy: ${row.length} values for ${columns.length} columns of ${table}`);
    text += row.map(escapeValue).join('\t') + '\n';
  }
  return { table, columns, text, rowCount: rows.length };
}

/** The driver's own client behind a drizzle database or transaction (its connection, for a transaction). */
function driverClient(db: Executor): unknown {
  return (db as unknown as { session: { client: unknown } }).session.client;
}

/**
 * postgres.js (3.4.x) never settles the writable of a COPY that the server refuses after the data was
 * sent (porsager/postgres#1173, fix pending in #1183): awaiting it would hang, and the transaction
 * would never roll back. Its query still hears the error (the driver rejects the query, already
 * resolved with the stream), so this listens there too and fails with the server's error.
 */
async function copyWithPostgresJs(client: Sql, statement: string, text: string): Promise<void> {
  const query = client.unsafe(statement) as unknown as { reject: (error: unknown) => void; writable(): Promise<NodeJS.WritableStream> };
  let refused!: (error: unknown) => void;
  const refusal = new Promise<never>((_, reject) => (refused = reject));
  refusal.catch(() => {});
  const reject = query.reject;
  query.reject = (error) => {
    refused(error);
    reject(error);
  };
  const stream = await query.writable();
  stream.end(text);
  await Promise.race([finished(stream), refusal]);
}

/**
 * Appends prepared rows with one COPY … FROM STDIN on the connection of `db` (pass the transaction the
 * rows belong to). For bulk writes: PostgreSQL stores a COPY's rows many to a WAL record and parses no
 * statement per row, about a third cheaper than INSERT … SELECT for the same rows. Any constraint
 * violation fails the whole COPY (there is no ON CONFLICT).
 */
export async function copyRows(db: Executor, rows: PreparedCopy): Promise<void> {
  if (rows.rowCount === 0) return;
  const statement = `copy ${rows.table} (${rows.columns.join(', ')}) from`;
  if (getDatabaseHandle().driver === 'postgres') {
    await copyWithPostgresJs(driverClient(db) as Sql, `${statement} stdin`, rows.text);
    return;
  }
  await (driverClient(db) as PGlite | PgliteTransaction).query(`${statement} '/dev/blob'`, [], { blob: new Blob([rows.text]) });
}
