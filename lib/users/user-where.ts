import 'server-only';
import { and, eq, exists, ilike, isNotNull, ne, notExists, or, sql, type SQL } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import type { UserFilter } from './user-filter';

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
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
        sql`lower(${u.email}) like ${`${term}%`}`,
        sql`lower(${u.username}) like ${`${term}%`}`,
        ilike(u.lastName, `${term}%`),
        ilike(u.firstName, `${term}%`),
        words.length > 1 ? and(...words.map((w) => or(ilike(u.firstName, `${w}%`), ilike(u.lastName, `${w}%`)))) : undefined,
      ),
    );
  }
  if (filter.source) conditions.push(eq(u.source, filter.source));
  if (filter.status) conditions.push(eq(u.status, filter.status));
  if (filter.phone === 'problem') conditions.push(ne(u.phoneStatus, 'ok'));
  else if (filter.phone) conditions.push(eq(u.phoneStatus, filter.phone));
  const f = schema.mfaFactors;
  if (filter.mfa === 'enrolled') {
    conditions.push(exists(sql`select 1 from ${f} where ${f.userId} = ${u.id} and ${f.verifiedAt} is not null`));
  } else if (filter.mfa === 'not_enrolled') {
    conditions.push(notExists(sql`select 1 from ${f} where ${f.userId} = ${u.id} and ${f.verifiedAt} is not null`));
  } else if (filter.mfa === 'locked') {
    conditions.push(exists(sql`select 1 from ${f} where ${f.userId} = ${u.id} and ${isNotNull(f.lockedAt)}`));
  }
  const c = schema.registrationCodes;
  const validCode = sql`select 1 from ${c} where ${c.userId} = ${u.id} and ${c.status} = 'valid' and ${c.expiresAt} > ${now()}`;
  if (filter.code === 'valid') conditions.push(exists(validCode));
  else if (filter.code === 'none') conditions.push(notExists(validCode));
  const present = conditions.filter(Boolean);
  return present.length ? and(...present) : undefined;
}
