import 'server-only';
import { eq } from 'drizzle-orm';
import { caseFoldedKey, schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { sendEmail } from '@/lib/email';
import { getEnv } from '@/lib/env';
import { EVENT, writeEvent, type Actor, type EventInput } from '@/lib/events';
import { inviteUser } from '@/lib/invitations';
import { describeSendFailure } from '@/lib/invitations/deliver-invitation';
import { log } from '@/lib/log';
import { consumeLimit } from '@/lib/rate-limit';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import { invalidateTokens, issueToken } from '@/lib/tokens';
import { composePasswordResetEmail } from './reset-email';

export const RESET_LINK_TTL_SECONDS = 3600;
/** Requests per hour: per email address and per IP. Over the limit, nothing is sent, silently. */
export const RESET_REQUEST_LIMITS = { perEmail: 3, perIp: 20, windowSeconds: 3600 } as const;

/** What happened; for tests and logs only. The person asking always sees the same answer. */
export type ResetRequestOutcome =
  | 'link_sent'
  | 'send_failed'
  | 'invitation_resent'
  | 'invitation_failed'
  | 'not_active'
  | 'no_account'
  | 'rate_limited';

/** The link a reset token opens: APP_URL/reset-password/<token>. */
export function passwordResetLink(token: string): string {
  return `${getEnv().APP_URL}/reset-password/${token}`;
}

async function findUserByEmail(email: string) {
  const u = schema.users;
  const [row] = await getDb()
    .select({ id: u.id, email: u.email, username: u.username, firstName: u.firstName, status: u.status })
    .from(u)
    .where(eq(caseFoldedKey(u.email), email.toLowerCase()));
  return row;
}

/** Counts this request; refused when over either limit. Only the first refusal of a window is recorded. */
async function checkLimits(email: string, ip: string): Promise<{ allowed: boolean; firstRefusal: boolean }> {
  const { perEmail, perIp, windowSeconds } = RESET_REQUEST_LIMITS;
  const [byEmail, byIp] = await Promise.all([
    consumeLimit(`password-reset:email:${email.toLowerCase()}`, perEmail, windowSeconds),
    consumeLimit(`password-reset:ip:${ip}`, perIp, windowSeconds),
  ]);
  return {
    allowed: byEmail.allowed && byIp.allowed,
    firstRefusal: byEmail.count === perEmail + 1 || byIp.count === perIp + 1,
  };
}

/**
 * "Forgot password". An active user with that email gets a link to choose a new password (valid
 * for an hour; a new request replaces the older link). An invited user who never activated gets a
 * fresh invitation instead. Anyone else gets nothing. Every request is recorded, but the caller
 * must answer the same whatever this returns, so nobody learns whether an account exists.
 */
export async function requestPasswordReset(email: string, client: ClientInfo): Promise<ResetRequestOutcome> {
  const address = email.trim().slice(0, 254);
  const actor: Actor = { type: 'anonymous', label: address };
  const limits = await checkLimits(address, client.ip);
  const user = await findUserByEmail(address);
  const event = (result: ResetRequestOutcome | 'link_issued', extra: Partial<EventInput> = {}): EventInput => ({
    kind: EVENT.passwordResetRequested,
    actor,
    subjectUserId: user?.id ?? null,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { email: address, result },
    ...extra,
  });

  if (!limits.allowed) {
    if (limits.firstRefusal) await writeEvent(getDb(), event('rate_limited', { outcome: 'failure' }));
    return 'rate_limited';
  }
  if (!user) {
    await writeEvent(getDb(), event('no_account', { outcome: 'failure' }));
    return 'no_account';
  }
  if (user.status === 'invited') {
    await writeEvent(getDb(), event('invitation_resent'));
    const sent = await inviteUser(user.id, { actor, client, resend: true });
    return sent.ok ? 'invitation_resent' : 'invitation_failed';
  }
  if (user.status !== 'active') {
    await writeEvent(getDb(), event('not_active', { outcome: 'failure' }));
    return 'not_active';
  }

  const issued = await getDb().transaction(async (tx) => {
    await invalidateTokens(tx, 'password_reset', user.id);
    const token = await issueToken(tx, { purpose: 'password_reset', subjectId: user.id, ttlSeconds: RESET_LINK_TTL_SECONDS });
    await writeEvent(tx, event('link_issued', { details: { email: user.email, result: 'link_issued', expiresAt: token.expiresAt.toISOString() } }));
    return token;
  });
  const { organisationName } = await getAccountSettings();
  const mail = composePasswordResetEmail({
    organisationName,
    firstName: user.firstName,
    username: user.username,
    link: passwordResetLink(issued.token),
    expiresAt: issued.expiresAt,
  });
  try {
    await sendEmail({ to: user.email, ...mail });
    return 'link_sent';
  } catch (error) {
    const reason = describeSendFailure(user.email, error);
    log.warn('password reset email not sent', { userId: user.id, reason });
    await writeEvent(getDb(), event('send_failed', { outcome: 'failure', details: { email: user.email, result: 'send_failed', reason } }));
    return 'send_failed';
  }
}
