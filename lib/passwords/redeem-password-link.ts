import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { revokeAllSessions } from '@/lib/auth/sessions';
import { now } from '@/lib/clock';
import { getDb, type Executor, type Transaction } from '@/lib/db';
import { consumeToken, inspectToken, invalidateTokens, type TokenState } from '@/lib/tokens';
import { checkUserPassword } from './check-user-password';
import { hashPassword } from './index';

/**
 * The part activation links and password-reset links share: a single-use token that names a user,
 * whose holder sets a new password.
 */
export type LinkPurpose = 'invitation' | 'password_reset';
/** Why a link can't be used. 'invalidated' also covers a user who is no longer in the right status. */
export type LinkProblem = Exclude<TokenState, 'valid'>;
type UserStatus = (typeof schema.users.$inferSelect)['status'];

export interface LinkUser {
  id: string;
  email: string;
  username: string;
  firstName: string;
}

export type LinkLookup = { state: 'valid'; user: LinkUser; expiresAt: Date } | { state: LinkProblem; subjectId: string | null; expiresAt?: Date };

export type RedeemResult = { ok: true; user: LinkUser } | { ok: false; state: LinkProblem } | { ok: false; passwordProblem: string };

class LinkRefused extends Error {
  constructor(readonly state: LinkProblem) {
    super(`link refused: ${state}`);
    this.name = 'LinkRefused';
  }
}

async function loadUser(db: Executor, id: string, lock = false) {
  const u = schema.users;
  const query = db
    .select({ id: u.id, email: u.email, username: u.username, firstName: u.firstName, status: u.status })
    .from(u)
    .where(eq(u.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** Looks at a link without using it (opening a link must not consume it). */
export async function findLinkUser(purpose: LinkPurpose, token: string, status: UserStatus): Promise<LinkLookup> {
  const inspected = await inspectToken(getDb(), purpose, token);
  if (inspected.state !== 'valid') return { state: inspected.state, subjectId: inspected.subjectId, expiresAt: inspected.expiresAt };
  const user = inspected.subjectId ? await loadUser(getDb(), inspected.subjectId) : undefined;
  if (!user) return { state: 'unknown', subjectId: null };
  if (user.status !== status) return { state: 'invalidated', subjectId: user.id, expiresAt: inspected.expiresAt };
  const { status: _status, ...dto } = user;
  return { state: 'valid', user: dto, expiresAt: inspected.expiresAt! };
}

/**
 * Sets a new password with a link, in one transaction: the user (who must still have `status`) is
 * locked, the token consumed, the other unused links of the same purpose invalidated, the password
 * hash and `changes` stored, every session ended, then `record` writes the events.
 */
export async function redeemPasswordLink(input: {
  purpose: LinkPurpose;
  token: string;
  password: string;
  status: UserStatus;
  changes?: Partial<Pick<typeof schema.users.$inferInsert, 'status' | 'activatedAt'>>;
  record: (tx: Transaction, user: LinkUser) => Promise<void>;
}): Promise<RedeemResult> {
  const found = await findLinkUser(input.purpose, input.token, input.status);
  if (found.state !== 'valid') return { ok: false, state: found.state };
  const problem = checkUserPassword(input.password, found.user);
  if (problem) return { ok: false, passwordProblem: problem };
  const passwordHash = await hashPassword(input.password);
  const user = found.user;
  try {
    return await getDb().transaction(async (tx): Promise<RedeemResult> => {
      const locked = await loadUser(tx, user.id, true);
      // The token first: of two submissions of one link, the second reads 'used'.
      const used = await consumeToken(tx, input.purpose, input.token);
      if (!used.ok) return { ok: false, state: used.state };
      // Rolls back the consumption: the link stays as it was for a user who changed status meanwhile.
      if (locked?.status !== input.status) throw new LinkRefused('invalidated');
      await tx
        .update(schema.users)
        .set({ passwordHash, updatedAt: now(), ...input.changes })
        .where(eq(schema.users.id, user.id));
      await revokeAllSessions(tx, 'user', user.id);
      await invalidateTokens(tx, input.purpose, user.id);
      await input.record(tx, user);
      return { ok: true, user };
    });
  } catch (error) {
    if (error instanceof LinkRefused) return { ok: false, state: error.state };
    throw error;
  }
}
