import 'server-only';
import { and, asc, eq, gt, ne } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { formatCode } from './code-format';
import { decryptCode } from './code-secrets';
import { csvRow } from './csv';

const PAGE = 1000;
export const CODES_CSV_HEADER = ['first_name', 'last_name', 'email', 'registration_code', 'expires_at'] as const;

/**
 * The valid codes as CSV (UTF-8 text, RFC 4180, formula cells neutralised): one chunk for the header,
 * then one per page of 1,000 codes, keyset-paged so memory stays flat however many there are.
 * Only codes still redeemable when the download started: valid, unexpired, of users not disabled.
 * This and generation are the only places a code leaves lib in plain text.
 */
export async function* streamValidCodesCsv(): AsyncGenerator<string> {
  const rc = schema.registrationCodes;
  const u = schema.users;
  const startedAt = now();
  yield csvRow([...CODES_CSV_HEADER]);
  let after: string | undefined;
  for (;;) {
    const rows = await getDb()
      .select({
        id: rc.id,
        userId: rc.userId,
        ciphertext: rc.ciphertext,
        expiresAt: rc.expiresAt,
        firstName: u.firstName,
        lastName: u.lastName,
        email: u.email,
      })
      .from(rc)
      .innerJoin(u, eq(u.id, rc.userId))
      .where(and(eq(rc.status, 'valid'), gt(rc.expiresAt, startedAt), ne(u.status, 'disabled'), after === undefined ? undefined : gt(rc.id, after)))
      .orderBy(asc(rc.id))
      .limit(PAGE);
    if (rows.length > 0) {
      yield rows
        .map((r) =>
          csvRow([r.firstName, r.lastName, r.email, formatCode(decryptCode(r.ciphertext, r.userId)), r.expiresAt.toISOString()]),
        )
        .join('');
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}
