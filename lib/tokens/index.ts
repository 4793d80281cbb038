import 'server-only';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { generateToken, sha256Hex } from '@/lib/crypto';
import type { Executor } from '@/lib/db';

/**
 * Single-use link tokens (setup, invitation, password reset): 256 random bits, only the SHA-256
 * stored, expiring, consumed by one conditional UPDATE so two submissions can't both win.
 */
export type TokenPurpose = 'setup' | 'invitation' | 'password_reset';
export type TokenState = 'valid' | 'unknown' | 'used' | 'expired' | 'invalidated';

export async function issueToken(
  db: Executor,
  input: { purpose: TokenPurpose; subjectId?: string | null; ttlSeconds: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken(32);
  const expiresAt = addSeconds(now(), input.ttlSeconds);
  await db.insert(schema.singleUseTokens).values({
    purpose: input.purpose,
    tokenHash: sha256Hex(token),
    subjectId: input.subjectId ?? null,
    createdAt: now(),
    expiresAt,
  });
  return { token, expiresAt };
}

/** Looks at a token without using it (opening a link must not consume it). */
export async function inspectToken(
  db: Executor,
  purpose: TokenPurpose,
  token: string,
): Promise<{ state: TokenState; subjectId: string | null; expiresAt?: Date }> {
  const t = schema.singleUseTokens;
  const [row] = await db
    .select()
    .from(t)
    .where(and(eq(t.tokenHash, sha256Hex(token)), eq(t.purpose, purpose)));
  if (!row) return { state: 'unknown', subjectId: null };
  const state: TokenState = row.usedAt
    ? 'used'
    : row.invalidatedAt
      ? 'invalidated'
      : row.expiresAt <= now()
        ? 'expired'
        : 'valid';
  return { state, subjectId: row.subjectId, expiresAt: row.expiresAt };
}

/** Uses a token once. Returns its subject, or the reason it can't be used. */
export async function consumeToken(
  db: Executor,
  purpose: TokenPurpose,
  token: string,
): Promise<{ ok: true; subjectId: string | null } | { ok: false; state: Exclude<TokenState, 'valid'> }> {
  const t = schema.singleUseTokens;
  const inspected = await inspectToken(db, purpose, token);
  if (inspected.state !== 'valid') return { ok: false, state: inspected.state };
  const [row] = await db
    .update(t)
    .set({ usedAt: now() })
    .where(
      and(eq(t.tokenHash, sha256Hex(token)), eq(t.purpose, purpose), isNull(t.usedAt), isNull(t.invalidatedAt), gt(t.expiresAt, now())),
    )
    .returning({ subjectId: t.subjectId, expiresAt: t.expiresAt });
  if (!row) {
    const again = await inspectToken(db, purpose, token);
    return { ok: false, state: again.state === 'valid' ? 'used' : again.state };
  }
  return { ok: true, subjectId: row.subjectId };
}

/** Invalidates every unused token of a purpose (for one subject, or all when subjectId is null). */
export async function invalidateTokens(db: Executor, purpose: TokenPurpose, subjectId: string | null): Promise<void> {
  const t = schema.singleUseTokens;
  await db
    .update(t)
    .set({ invalidatedAt: now() })
    .where(and(eq(t.purpose, purpose), isNull(t.usedAt), isNull(t.invalidatedAt), subjectId ? eq(t.subjectId, subjectId) : undefined));
}
