import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { revokeAllSessions } from '@/lib/auth/sessions';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import { checkUserPassword, hashPassword, verifyPassword } from '@/lib/passwords';
import { clearCounter, incrementCounter, readCounter } from '@/lib/rate-limit';
import type { ClientInfo } from '@/lib/request';

/** Wrong current passwords per user before the form pauses (in 15-minute windows), like sign-in. */
export const CHANGE_FAILURE_LIMIT = 10;
const CHANGE_WINDOW_SECONDS = 15 * 60;

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; field: 'currentPassword' | 'password'; message: string };

/**
 * A signed-in user changes their password: the current one must be right, the new one must meet
 * every rule. Stores the new hash, ends every session of the user (the caller signs this browser in
 * again) and records Password Changed, in one transaction.
 */
export async function changePassword(
  userId: string,
  input: { currentPassword: string; password: string },
  client: ClientInfo | null,
): Promise<ChangePasswordResult> {
  const u = schema.users;
  const [user] = await getDb()
    .select({ id: u.id, email: u.email, username: u.username, passwordHash: u.passwordHash, status: u.status })
    .from(u)
    .where(eq(u.id, userId));
  if (!user || user.status !== 'active') return { ok: false, field: 'currentPassword', message: 'This account can no longer change its password.' };

  const failures = `password-change:${user.id}`;
  const state = await readCounter(failures, CHANGE_WINDOW_SECONDS);
  if (state.count >= CHANGE_FAILURE_LIMIT) {
    const minutes = Math.max(1, Math.ceil(state.retryAfterSeconds / 60));
    return { ok: false, field: 'currentPassword', message: `Too many wrong attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` };
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await incrementCounter(failures, CHANGE_WINDOW_SECONDS);
    return { ok: false, field: 'currentPassword', message: 'That is not your current password.' };
  }
  await clearCounter(failures);
  const problem = checkUserPassword(input.password, user);
  if (problem) return { ok: false, field: 'password', message: problem };

  const passwordHash = await hashPassword(input.password);
  await getDb().transaction(async (tx) => {
    await tx.update(u).set({ passwordHash, updatedAt: now() }).where(eq(u.id, user.id));
    await revokeAllSessions(tx, 'user', user.id);
    await writeEvent(tx, {
      kind: EVENT.passwordChanged,
      actor: { type: 'user', id: user.id, label: user.email },
      subjectUserId: user.id,
      ip: client?.ip,
      userAgent: client?.userAgent,
      details: { email: user.email, sessionsEnded: true },
    });
  });
  return { ok: true };
}
