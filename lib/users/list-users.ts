import 'server-only';
import { and, asc, count, desc, eq, gt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import { caseFoldedKey, schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { USER_SORTS, type UserFilter, type UserSort } from './user-filter';
import { nameKey, userWhere } from './user-where';

/**
 * The admin Users list: one page of users matching a filter, in a stable order, with the total.
 *
 * Paging is LIMIT/OFFSET over an ORDER BY that always ends with `id`, so equal sort values never
 * swap between pages. Every sort has a matching index (db/schema/users.ts), so without a filter, or
 * with a status or source filter, a deep page is an index walk of `offset` entries rather than a
 * sort of the table. Only ids are filtered, sorted and skipped (a "deferred join"); the page's 25 to
 * 100 ids are then joined back for their columns, the MFA state (a join on the mfa_factors primary
 * key) and the valid-code count (a correlated subquery on registration_codes_user_idx). The total is
 * an exact count with the same condition, run alongside. bench/users-list.mjs measures all of this at
 * 100,000 users, page 1 and page 1000.
 *
 * Bulk processing pages by id instead (listUserIdsMatching, keyset): the action itself changes which
 * users match, which would make an offset skip users.
 */

export const USER_PAGE_SIZES = [25, 50, 100] as const;
export type UserPageSize = (typeof USER_PAGE_SIZES)[number];
export const DEFAULT_USER_PAGE_SIZE: UserPageSize = 50;
export type SortDirection = 'asc' | 'desc';
export type UserMfaState = 'enrolled' | 'not_enrolled' | 'locked';

/** The sort direction a column starts with: newest first for dates, A→Z for the rest. */
export const DEFAULT_SORT_DIRECTION: Record<UserSort, SortDirection> = { created: 'desc', name: 'asc', email: 'asc', status: 'asc' };

export interface UserRowDto {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  source: 'manual' | 'directory';
  status: 'invited' | 'active' | 'disabled';
  phoneE164: string | null;
  phoneStatus: 'ok' | 'country_assumed' | 'missing_country_code' | 'invalid' | 'missing';
  mfa: UserMfaState;
  /** Registration codes that are valid and not expired. */
  validCodes: number;
  createdAt: Date;
  lastSignInAt: Date | null;
}

export interface UserListQuery {
  filter: UserFilter;
  sort?: UserSort;
  dir?: SortDirection;
  /** 1-based; past the last page it is clamped to the last page. */
  page?: number;
  pageSize?: UserPageSize;
}

export interface UserListPage {
  rows: UserRowDto[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: UserPageSize;
}

/** The list view's URL parameters besides the filter (sort, dir, page, size); anything invalid falls back. */
export const userListViewSchema = z
  .object({
    sort: z.enum(USER_SORTS).catch('created'),
    dir: z.enum(['asc', 'desc']).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
    size: z.coerce
      .number()
      .refine((n): n is UserPageSize => (USER_PAGE_SIZES as readonly number[]).includes(n))
      .catch(DEFAULT_USER_PAGE_SIZE),
  })
  .transform((v) => ({ sort: v.sort, dir: v.dir ?? DEFAULT_SORT_DIRECTION[v.sort], page: v.page, pageSize: v.size as UserPageSize }));

export type UserListView = z.output<typeof userListViewSchema>;

export function parseUserListView(params: Record<string, string | string[] | undefined>): UserListView {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  return userListViewSchema.parse(flat);
}

interface SortColumns {
  id: SQLWrapper;
  firstName: SQLWrapper;
  lastName: SQLWrapper;
  email: SQLWrapper;
  status: SQLWrapper;
  createdAt: SQLWrapper;
}

/** Each sort's keys; each list matches an index on users and ends with id, the tiebreaker (email is unique: it needs none). */
const SORT_KEYS: Record<UserSort, (c: SortColumns) => SQLWrapper[]> = {
  name: (c) => [nameKey(c.lastName), nameKey(c.firstName), c.id],
  email: (c) => [caseFoldedKey(c.email)],
  created: (c) => [c.createdAt, c.id],
  status: (c) => [c.status, c.createdAt, c.id],
};

function orderOf(sort: UserSort, dir: SortDirection, columns: SortColumns): SQL[] {
  return SORT_KEYS[sort](columns).map((key) => (dir === 'asc' ? asc(key) : desc(key)));
}

function normalisePageSize(size: number | undefined): UserPageSize {
  return (USER_PAGE_SIZES as readonly number[]).includes(size ?? 0) ? (size as UserPageSize) : DEFAULT_USER_PAGE_SIZE;
}

async function selectPage(db: Executor, where: SQL | undefined, sort: UserSort, dir: SortDirection, page: number, pageSize: number): Promise<UserRowDto[]> {
  const u = schema.users;
  // The deferred join: ids only through the filter, sort and offset, then the page's rows joined back.
  const p = db
    .select({ id: u.id })
    .from(u)
    .where(where)
    .orderBy(...orderOf(sort, dir, u))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .as('page');
  const f = schema.mfaFactors;
  const c = schema.registrationCodes;
  return db
    .select({
      id: u.id,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      username: u.username,
      source: u.source,
      status: u.status,
      phoneE164: u.phoneE164,
      phoneStatus: u.phoneStatus,
      mfa: sql<UserMfaState>`case when ${f.lockedAt} is not null then 'locked' when ${f.verifiedAt} is not null then 'enrolled' else 'not_enrolled' end`,
      validCodes: sql<number>`(select count(*) from ${c} where ${c.userId} = ${u.id} and ${c.status} = 'valid' and ${c.expiresAt} > ${now().toISOString()}::timestamptz)`.mapWith(Number),
      createdAt: u.createdAt,
      lastSignInAt: u.lastSignInAt,
    })
    .from(p)
    // The joins also make drizzle qualify every column, which the correlated subquery needs.
    .innerJoin(u, eq(u.id, p.id))
    .leftJoin(f, eq(f.userId, u.id))
    .orderBy(...orderOf(sort, dir, u));
}

/** One page of the users matching the filter, with the total and the page count. */
export async function listUsers(query: UserListQuery, db: Executor = getDb()): Promise<UserListPage> {
  const sort = query.sort ?? 'created';
  const dir = query.dir ?? DEFAULT_SORT_DIRECTION[sort];
  const pageSize = normalisePageSize(query.pageSize);
  const requested = Number.isInteger(query.page) && query.page! >= 1 ? query.page! : 1;
  const where = userWhere(query.filter);
  // The page and the count run side by side (two pool connections on PostgreSQL).
  const [total, rows] = await Promise.all([countWhere(db, where), selectPage(db, where, sort, dir, requested, pageSize)]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  if (requested <= pageCount) return { rows, total, page: requested, pageCount, pageSize };
  // Asked past the end (a shared link after deletions): show the last page instead.
  return { rows: await selectPage(db, where, sort, dir, pageCount, pageSize), total, page: pageCount, pageCount, pageSize };
}

async function countWhere(db: Executor, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(schema.users).where(where);
  return row?.n ?? 0;
}

/** How many users match the filter: the N of "select all N users that match". */
export async function countUsersMatching(filter: UserFilter, db: Executor = getDb()): Promise<number> {
  return countWhere(db, userWhere(filter));
}

export const MAX_USER_ID_BATCH = 10_000;

/**
 * The ids of users matching the filter, ascending, after `afterId`: pass the last id of a batch to
 * get the next one, until a batch comes back empty. Keyset paging stays exact while the bulk action
 * changes the users it has processed (an offset would skip users that stop matching).
 */
export async function listUserIdsMatching(
  filter: UserFilter,
  options: { afterId?: string; limit: number },
  db: Executor = getDb(),
): Promise<string[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_USER_ID_BATCH) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_USER_ID_BATCH}`);
  }
  const u = schema.users;
  const rows = await db
    .select({ id: u.id })
    .from(u)
    .where(and(userWhere(filter), options.afterId ? gt(u.id, options.afterId) : undefined))
    .orderBy(asc(u.id))
    .limit(options.limit);
  return rows.map((r) => r.id);
}
