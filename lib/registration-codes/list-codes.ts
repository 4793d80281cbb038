import 'server-only';
import { and, count, desc, eq, gt, inArray, lte, or, type SQL } from 'drizzle-orm';
import { caseFoldedKey, schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { escapeLike, startsWith } from '@/lib/users/user-where';
import { CODE_PAGE_SIZE, type CodeFilter, type CodeStatus } from './code-list-schemas';

/**
 * The admin Registration Codes list: one page of codes, newest first, with the total.
 *
 * Paging is LIMIT/OFFSET over ORDER BY created_at DESC, id DESC: registration_codes_created_idx
 * serves it unfiltered and registration_codes_status_created_idx with a stored-status filter, so a
 * deep page is an index walk, not a sort. Only ids go through the filter, order and offset; the
 * page's 50 ids are then joined back to their user and device (a "deferred join"). The email filter
 * is a prefix match on users_email_key. No code, lookup or ciphertext leaves this module.
 */

export interface CodeRowDto {
  id: string;
  user: { id: string; firstName: string; lastName: string; username: string; email: string };
  status: CodeStatus;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  /** The device the code registered, when it was used. */
  deviceName: string | null;
}

export interface CodeListPage {
  rows: CodeRowDto[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

/** The status an admin sees: a valid code past its expiry is expired, whether or not the sweep has marked it yet. */
export function displayStatus(row: { status: CodeStatus; expiresAt: Date }, at: Date): CodeStatus {
  return row.status === 'valid' && row.expiresAt <= at ? 'expired' : row.status;
}

function statusWhere(status: CodeStatus | undefined, at: Date): SQL | undefined {
  const rc = schema.registrationCodes;
  if (status === 'valid') return and(eq(rc.status, 'valid'), gt(rc.expiresAt, at));
  if (status === 'expired') return or(eq(rc.status, 'expired'), and(eq(rc.status, 'valid'), lte(rc.expiresAt, at)));
  return status ? eq(rc.status, status) : undefined;
}

function codeWhere(db: Executor, filter: CodeFilter, at: Date): SQL | undefined {
  const rc = schema.registrationCodes;
  const u = schema.users;
  const q = filter.q?.trim().toLowerCase();
  const byEmail = q ? inArray(rc.userId, db.select({ id: u.id }).from(u).where(startsWith(caseFoldedKey(u.email), escapeLike(q)))) : undefined;
  return and(statusWhere(filter.status, at), byEmail);
}

async function selectPage(db: Executor, where: SQL | undefined, page: number, at: Date): Promise<CodeRowDto[]> {
  const rc = schema.registrationCodes;
  const u = schema.users;
  const d = schema.devices;
  const p = db
    .select({ id: rc.id })
    .from(rc)
    .where(where)
    .orderBy(desc(rc.createdAt), desc(rc.id))
    .limit(CODE_PAGE_SIZE)
    .offset((page - 1) * CODE_PAGE_SIZE)
    .as('page');
  const rows = await db
    .select({
      id: rc.id,
      status: rc.status,
      createdAt: rc.createdAt,
      expiresAt: rc.expiresAt,
      usedAt: rc.usedAt,
      revokedAt: rc.revokedAt,
      deviceName: d.name,
      user: { id: u.id, firstName: u.firstName, lastName: u.lastName, username: u.username, email: u.email },
    })
    .from(p)
    .innerJoin(rc, eq(rc.id, p.id))
    .innerJoin(u, eq(u.id, rc.userId))
    .leftJoin(d, eq(d.id, rc.deviceId))
    .orderBy(desc(rc.createdAt), desc(rc.id));
  return rows.map((r) => ({ ...r, status: displayStatus(r, at) }));
}

async function countWhere(db: Executor, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(schema.registrationCodes).where(where);
  return row?.n ?? 0;
}

/** One page (1-based, 50 codes) of the codes matching the filter; past the last page it shows the last page. */
export async function listCodes(query: CodeFilter & { page?: number }, db: Executor = getDb()): Promise<CodeListPage> {
  const at = now();
  const where = codeWhere(db, query, at);
  const requested = Number.isInteger(query.page) && query.page! >= 1 ? query.page! : 1;
  const [total, rows] = await Promise.all([countWhere(db, where), selectPage(db, where, requested, at)]);
  const pageCount = Math.max(1, Math.ceil(total / CODE_PAGE_SIZE));
  const base = { total, pageCount, pageSize: CODE_PAGE_SIZE };
  if (requested <= pageCount) return { ...base, rows, page: requested };
  return { ...base, rows: await selectPage(db, where, pageCount, at), page: pageCount };
}
