import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb, type Executor } from '@/lib/db';

export interface Invitee {
  id: string;
  email: string;
  username: string;
  firstName: string;
  status: 'invited' | 'active' | 'disabled';
}

/** What the account emails need to know about a user; `lock` holds the row for the transaction. */
export async function findInvitee(userId: string, db: Executor = getDb(), lock = false): Promise<Invitee | undefined> {
  const u = schema.users;
  const query = db
    .select({ id: u.id, email: u.email, username: u.username, firstName: u.firstName, status: u.status })
    .from(u)
    .where(eq(u.id, userId));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}
