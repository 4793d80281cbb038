import 'server-only';
import { count, desc } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';

export interface UserSummary {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  source: 'manual' | 'directory';
  status: 'invited' | 'active' | 'disabled';
  createdAt: Date;
}

/** Newest users first (the full Users list with filters and bulk actions comes with the users issue). */
export async function listNewestUsers(limit = 50): Promise<UserSummary[]> {
  const u = schema.users;
  return getDb()
    .select({
      id: u.id,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      username: u.username,
      source: u.source,
      status: u.status,
      createdAt: u.createdAt,
    })
    .from(u)
    .orderBy(desc(u.createdAt), desc(u.id))
    .limit(Math.min(limit, 200));
}

export async function countUsersByStatus(): Promise<Record<'invited' | 'active' | 'disabled', number>> {
  const u = schema.users;
  const rows = await getDb().select({ status: u.status, n: count() }).from(u).groupBy(u.status);
  const out = { invited: 0, active: 0, disabled: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
