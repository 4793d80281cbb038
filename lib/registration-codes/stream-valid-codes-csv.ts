import 'server-only';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, startedAhead } from '@/lib/db';
import { formatCode } from './code-format';
import { decryptCode } from './code-secrets';

import { csvRow } from '@/lib/download';

const PAGE = 1000;
export const CODES_CSV_HEADER = ['first_name', 'last_name', 'email', 'registration_code', 'expires_at'] as const;

interface CsvSourceRow {
  id: string;
  /** PostgreSQL's own text for created_at, so the keyset keeps its microseconds (a JS Date keeps milliseconds). */
  createdAt: string;
  userId: string;
  ciphertext: string;
  /** Already in Date.toISOString()'s form (UTC, milliseconds), so no Date is made per row. */
  expiresAt: string;
  firstName: string;
  lastName: string;
  email: string;
}

/** One page of valid codes after the keyset position, in (created_at, id) order. */
async function readPage(startedAt: Date, after: { createdAt: string; id: string } | undefined): Promise<CsvSourceRow[]> {
  return rowsOf<CsvSourceRow>(
    await getDb().execute(sql`select rc.id, rc.created_at::text as "createdAt", rc.user_id as "userId", rc.ciphertext,
        to_char(rc.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "expiresAt",
        u.first_name as "firstName", u.last_name as "lastName", u.email
      from registration_codes rc join users u on u.id = rc.user_id
      where rc.status = 'valid' and rc.expires_at > ${startedAt.toISOString()}::timestamptz and u.status <> 'disabled'
        ${after === undefined ? sql`` : sql`and (rc.created_at, rc.id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`}
      order by rc.created_at, rc.id
      limit ${PAGE}`),
  );
}

/**
 * The valid codes as CSV (UTF-8 text, RFC 4180, formula cells neutralised): one chunk for the header,
 * then one per page of 1,000 codes, keyset-paged in creation order (created_at, id) so memory stays
 * flat however many there are. That order walks registration_codes_created_idx (skipping codes no
 * longer valid), a plan that needs no statistics, so the download right after a bulk generation is
 * as fast as later ones.
 * Each page is read while the one before is being decrypted and written.
 * Only codes still redeemable when the download started: valid, unexpired, of users not disabled.
 * This and generation are the only places a code leaves lib in plain text.
 */
export async function* streamValidCodesCsv(): AsyncGenerator<string> {
  const startedAt = now();
  yield csvRow([...CODES_CSV_HEADER]);
  let page = readPage(startedAt, undefined);
  for (;;) {
    const rows = await page;
    // The next page is read while this one is decrypted and written (one page ahead at most).
    const last = rows.length === PAGE ? rows[rows.length - 1]! : undefined;
    if (last) page = startedAhead(readPage(startedAt, { createdAt: last.createdAt, id: last.id }));
    if (rows.length > 0) {
      yield rows.map((r) => csvRow([r.firstName, r.lastName, r.email, formatCode(decryptCode(r.ciphertext, r.userId)), r.expiresAt])).join('');
    }
    if (!last) return;
  }
}

