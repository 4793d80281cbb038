import 'server-only';
import { asc, count, desc, eq, gt, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { caseFoldedKey, schema } from '@/db/client';
import { getDb } from '@/lib/db';

export interface NumberUser {
  id: string;
  email: string;
  name: string;
}

export interface SharedNumberView {
  e164: string;
  /** How many users have this number (as their verified SMS number or their number on file). */
  userCount: number;
  /** Some of them (at most `usersPerNumber`), by email. */
  users: NumberUser[];
}

const f = schema.mfaFactors;
const u = schema.users;

/** (user, number) pairs: every verified-factor number and every number on file, each pair once. */
function numbersOf(e164?: string) {
  const db = getDb();
  return db
    .select({ userId: f.userId, e164: sql<string>`${f.phoneE164}`.as('e164') })
    .from(f)
    .where(e164 ? eq(f.phoneE164, e164) : isNotNull(f.phoneE164))
    .union(
      db
        .select({ userId: u.id, e164: sql<string>`${u.phoneE164}`.as('e164') })
        .from(u)
        .where(e164 ? eq(u.phoneE164, e164) : isNotNull(u.phoneE164)),
    )
    .as('numbers');
}

const toNumberUser = (r: { id: string; email: string; firstName: string; lastName: string }): NumberUser => ({
  id: r.id,
  email: r.email,
  name: `${r.firstName} ${r.lastName}`.trim(),
});

async function usersByIds(ids: string[]): Promise<Map<string, NumberUser>> {
  if (ids.length === 0) return new Map();
  const rows = await getDb().select({ id: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName }).from(u).where(inArray(u.id, ids));
  return new Map(rows.map((r) => [r.id, toNumberUser(r)]));
}

/**
 * Numbers several users share (allowed, but one phone then receives codes for several accounts):
 * the `limit` numbers shared by the most users, each with up to `usersPerNumber` of its users.
 */
export async function listSharedNumbers({ limit = 50, usersPerNumber = 10 }: { limit?: number; usersPerNumber?: number } = {}): Promise<SharedNumberView[]> {
  const numbers = numbersOf();
  const rows = await getDb()
    .select({
      e164: numbers.e164,
      userCount: count(),
      userIds: sql<string>`array_to_string((array_agg(${numbers.userId} order by ${numbers.userId}))[1:${sql.raw(String(Math.floor(usersPerNumber)))}], ',')`,
    })
    .from(numbers)
    .groupBy(numbers.e164)
    .having(gt(count(), 1))
    .orderBy(desc(count()), asc(numbers.e164))
    .limit(limit);
  const ids = rows.map((r) => r.userIds.split(','));
  const byId = await usersByIds(ids.flat());
  return rows.map((r, i) => ({
    e164: r.e164,
    userCount: r.userCount,
    users: ids[i]!.flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.email.localeCompare(b.email)),
  }));
}

/** How many users have this number, as their verified SMS number or their number on file. */
export async function countUsersSharingNumber(e164: string): Promise<number> {
  const numbers = numbersOf(e164);
  const [row] = await getDb().select({ n: count() }).from(numbers);
  return row?.n ?? 0;
}

/** The other users who have this number (the first `limit` by email), and how many there are in all. */
export async function listOtherUsersWithNumber(e164: string, userId: string, limit = 10): Promise<{ total: number; users: NumberUser[] }> {
  const numbers = numbersOf(e164);
  const others = ne(numbers.userId, userId);
  const [counted] = await getDb().select({ n: count() }).from(numbers).where(others);
  const some = await getDb()
    .select({ id: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName })
    .from(numbers)
    .innerJoin(u, eq(u.id, numbers.userId))
    .where(others)
    .orderBy(caseFoldedKey(u.email))
    .limit(limit);
  return { total: counted?.n ?? 0, users: some.map(toNumberUser) };
}
