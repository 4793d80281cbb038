import 'server-only';
import { and, eq, exists, isNotNull, ne, notExists, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { caseFoldedKey, schema } from '@/db/client';
import { now } from '@/lib/clock';
import type { UserFilter } from './user-filter';

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A name column lower-cased: the form its `lower(column) text_pattern_ops` index serves. (Email and
 * username are searched by their caseFoldedKey, which their unique indexes serve.)
 */
export function nameKey(column: SQLWrapper): SQL {
  return sql`lower(${column})`;
}

/**
 * The key (lower-cased) starts with the (lowercased, escaped) prefix. lower() + LIKE rather than ILIKE:
 * it costs less per row, and it is the form an index on the key serves.
 */
export function startsWith(key: SQL, prefix: string): SQL {
  return sql`${key} like ${`${prefix}%`}`;
}

/** The SQL condition for a Users filter (used by the list, the counts and bulk actions). */
export function userWhere(filter: UserFilter): SQL | undefined {
  const u = schema.users;
  const conditions: (SQL | undefined)[] = [];
  if (filter.q) {
    const term = escapeLike(filter.q.toLowerCase());
    const words = term.split(/\s+/).filter(Boolean);
    conditions.push(
      or(
        startsWith(caseFoldedKey(u.email), term),
        startsWith(caseFoldedKey(u.username), term),
        startsWith(nameKey(u.lastName), term),
        startsWith(nameKey(u.firstName), term),
        words.length > 1 ? and(...words.map((w) => or(startsWith(nameKey(u.firstName), w), startsWith(nameKey(u.lastName), w)))) : undefined,
      ),
    );
  }
  if (filter.source) conditions.push(eq(u.source, filter.source));
  if (filter.status) conditions.push(eq(u.status, filter.status));
  if (filter.phone === 'problem') conditions.push(ne(u.phoneStatus, 'ok'));
  else if (filter.phone) conditions.push(eq(u.phoneStatus, filter.phone));
  // exists()/notExists() do not parenthesise raw SQL, so each subquery carries its own parentheses;
  // the time goes as an ISO string because postgres.js cannot bind a Date once it has typed the statement.
  const f = schema.mfaFactors;
  const enrolled = sql`(select 1 from ${f} where ${f.userId} = ${u.id} and ${isNotNull(f.verifiedAt)})`;
  if (filter.mfa === 'enrolled') conditions.push(exists(enrolled));
  else if (filter.mfa === 'not_enrolled') conditions.push(notExists(enrolled));
  else if (filter.mfa === 'locked') conditions.push(exists(sql`(select 1 from ${f} where ${f.userId} = ${u.id} and ${isNotNull(f.lockedAt)})`));
  const c = schema.registrationCodes;
  const validCode = sql`(select 1 from ${c} where ${c.userId} = ${u.id} and ${c.status} = 'valid' and ${c.expiresAt} > ${now().toISOString()}::timestamptz)`;
  if (filter.code === 'valid') conditions.push(exists(validCode));
  else if (filter.code === 'none') conditions.push(notExists(validCode));
  const present = conditions.filter(Boolean);
  return present.length ? and(...present) : undefined;
}
