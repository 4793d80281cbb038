import 'server-only';
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { generateToken, sha256Hex } from '@/lib/crypto';
import { getDb, type Executor } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import { MAX_REMEMBER_DAYS, TRUSTED_BROWSER_COOKIE } from './constants';
import type { TrustedBrowserView } from './contract';

const DAY = 86_400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Options for the TRUSTED_BROWSER_COOKIE cookie: httpOnly, SameSite=Lax, whole site, Secure over https. */
export function trustedBrowserCookieOptions(expiresAt: Date): {
  httpOnly: true;
  sameSite: 'lax';
  path: '/';
  secure: boolean;
  expires: Date;
} {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: getEnv().APP_URL.startsWith('https:'), expires: expiresAt };
}

/** The live (not revoked, not expired, within today's remember period) condition for a user's rows. */
function liveFor(userId: string, rememberDays: number) {
  const t = schema.trustedBrowsers;
  const at = now();
  return and(eq(t.userId, userId), isNull(t.revokedAt), gt(t.expiresAt, at), gt(t.createdAt, addSeconds(at, -rememberDays * DAY)));
}

/**
 * "Remember this device" after a correct code: a 256-bit random token whose SHA-256 is stored, valid
 * for settings.mfaRememberDays (at most 30). Returns the token for TRUSTED_BROWSER_COOKIE, or null
 * when the setting is 0 (never remember).
 */
export async function trustBrowser(userId: string, client: ClientInfo): Promise<{ token: string; expiresAt: Date } | null> {
  const days = Math.min((await getAccountSettings()).mfaRememberDays, MAX_REMEMBER_DAYS);
  if (days <= 0) return null;
  const token = generateToken(32);
  const createdAt = now();
  const expiresAt = addSeconds(createdAt, days * DAY);
  const u = schema.users;
  const t = schema.trustedBrowsers;
  await getDb().transaction(async (tx) => {
    const [user] = await tx.select({ email: u.email }).from(u).where(eq(u.id, userId));
    const [row] = await tx
      .insert(t)
      .values({ userId, tokenHash: sha256Hex(token), userAgent: client.userAgent, ip: client.ip, createdAt, expiresAt })
      .returning({ id: t.id });
    await writeEvent(tx, {
      kind: EVENT.mfaTrustedDeviceAdded,
      actor: { type: 'user', id: userId, label: user?.email ?? null },
      subjectUserId: userId,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { trustedBrowserId: row!.id, rememberDays: days, expiresAt: expiresAt.toISOString() },
    });
  });
  return { token, expiresAt };
}

/** True when the cookie's token matches a live trusted browser of this user (and notes it was used). */
export async function isBrowserTrusted(userId: string, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const { mfaRememberDays } = await getAccountSettings();
  if (mfaRememberDays <= 0) return false;
  const t = schema.trustedBrowsers;
  const [row] = await getDb()
    .update(t)
    .set({ lastUsedAt: now() })
    .where(and(eq(t.tokenHash, sha256Hex(token)), liveFor(userId, Math.min(mfaRememberDays, MAX_REMEMBER_DAYS))))
    .returning({ id: t.id });
  return Boolean(row);
}

/** The user's live trusted browsers, newest first; `current` marks the one holding `currentToken`. */
export async function listTrustedBrowsers(userId: string, currentToken?: string): Promise<TrustedBrowserView[]> {
  const t = schema.trustedBrowsers;
  const currentHash = currentToken ? sha256Hex(currentToken) : null;
  const rows = await getDb()
    .select()
    .from(t)
    .where(liveFor(userId, MAX_REMEMBER_DAYS))
    .orderBy(desc(t.createdAt));
  return rows.map((r) => ({
    id: r.id,
    userAgent: r.userAgent,
    ip: r.ip,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    lastUsedAt: r.lastUsedAt,
    current: r.tokenHash === currentHash,
  }));
}

/** Stops trusting one of the user's browsers; false when it isn't theirs or was already forgotten. */
export async function forgetTrustedBrowser(userId: string, id: string, actor: Actor, client: ClientInfo): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const t = schema.trustedBrowsers;
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(t)
      .set({ revokedAt: now() })
      .where(and(eq(t.id, id), eq(t.userId, userId), isNull(t.revokedAt)))
      .returning({ id: t.id, userAgent: t.userAgent });
    if (!row) return false;
    await writeEvent(tx, {
      kind: EVENT.mfaTrustedDeviceForgotten,
      actor,
      subjectUserId: userId,
      ip: client.ip,
      userAgent: client.userAgent,
      details: { trustedBrowserId: row.id, browser: row.userAgent },
    });
    return true;
  });
}

/**
 * Revokes every trusted browser of these users (factor removed or reset, password changed or reset,
 * user disabled); returns how many.
 */
export async function revokeTrustedBrowsers(db: Executor, userIds: string | readonly string[]): Promise<number> {
  const ids = typeof userIds === 'string' ? [userIds] : [...userIds];
  if (ids.length === 0) return 0;
  const t = schema.trustedBrowsers;
  const rows = await db
    .update(t)
    .set({ revokedAt: now() })
    .where(and(inArray(t.userId, ids), isNull(t.revokedAt)))
    .returning({ id: t.id });
  return rows.length;
}

export { TRUSTED_BROWSER_COOKIE };
