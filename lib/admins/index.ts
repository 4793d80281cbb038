import 'server-only';
import { count, eq, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, SYSTEM_ACTOR, writeEvent, type Actor } from '@/lib/events';
import { checkNewPassword, hashPassword, verifyPassword } from '@/lib/passwords';
import { revokeAllSessions } from '@/lib/auth/sessions';
import { consumeToken, inspectToken, invalidateTokens, issueToken, type TokenState } from '@/lib/tokens';

export const SETUP_LINK_TTL_SECONDS = 3600;
const SETUP_LOCK_KEY = 7_216_452_002;

export class AdminInputError extends Error {
  constructor(
    readonly field: 'email' | 'password' | 'name',
    message: string,
  ) {
    super(message);
    this.name = 'AdminInputError';
  }
}

export async function countAdmins(db: Executor = getDb()): Promise<number> {
  const [row] = await db.select({ n: count() }).from(schema.admins);
  return row?.n ?? 0;
}

function assertPassword(password: string) {
  const problem = checkNewPassword(password);
  if (problem) throw new AdminInputError('password', problem);
}

/**
 * Creates an admin, or updates the password and name of the admin with that email (changing the
 * password ends the admin's sessions). Used by ADMIN_EMAIL/ADMIN_PASSWORD at start and by the CLI.
 */
export async function upsertAdmin(
  input: { email: string; password: string; name?: string },
  actor: Actor = SYSTEM_ACTOR,
): Promise<{ id: string; created: boolean; passwordChanged: boolean }> {
  const email = input.email.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AdminInputError('email', 'Enter a valid email address.');
  assertPassword(input.password);
  const a = schema.admins;
  const [existing] = await getDb()
    .select({ id: a.id, passwordHash: a.passwordHash, name: a.name })
    .from(a)
    .where(eq(sql`lower(${a.email})`, email.toLowerCase()));
  const samePassword = existing ? await verifyPassword(existing.passwordHash, input.password) : false;
  const nameChanged = existing !== undefined && input.name !== undefined && input.name !== existing.name;
  if (existing && samePassword && !nameChanged) return { id: existing.id, created: false, passwordChanged: false };
  const passwordHash = samePassword && existing ? existing.passwordHash : await hashPassword(input.password);
  return getDb().transaction(async (tx) => {
    if (existing) {
      await tx
        .update(a)
        .set({ passwordHash, name: input.name ?? existing.name, updatedAt: now() })
        .where(eq(a.id, existing.id));
      // A new password is a new credential: every open session of this admin ends.
      if (!samePassword) await revokeAllSessions(tx, 'admin', existing.id);
      const changed = [...(samePassword ? [] : ['password']), ...(nameChanged ? ['name'] : [])];
      const changes = nameChanged ? { name: { before: existing.name, after: input.name } } : {};
      await writeEvent(tx, { kind: EVENT.adminUpdated, actor, details: { adminId: existing.id, email, changed, changes } });
      return { id: existing.id, created: false, passwordChanged: !samePassword };
    }
    const [row] = await tx
      .insert(a)
      .values({ email, name: input.name ?? '', passwordHash, createdAt: now(), updatedAt: now() })
      .returning({ id: a.id });
    await writeEvent(tx, { kind: EVENT.adminCreated, actor, details: { adminId: row!.id, email } });
    return { id: row!.id, created: true, passwordChanged: true };
  });
}

/** When no admin exists: a one-time setup token valid for an hour. Undefined once an admin exists. */
export async function issueSetupToken(): Promise<{ token: string; expiresAt: Date } | undefined> {
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK_KEY})`);
    if ((await countAdmins(tx)) > 0) return undefined;
    const issued = await issueToken(tx, { purpose: 'setup', ttlSeconds: SETUP_LINK_TTL_SECONDS });
    await writeEvent(tx, { kind: EVENT.setupLinkIssued, actor: SYSTEM_ACTOR, details: { expiresAt: issued.expiresAt.toISOString() } });
    return issued;
  });
}

export type SetupLinkState = TokenState | 'closed';

export async function inspectSetupToken(token: string): Promise<SetupLinkState> {
  if ((await countAdmins()) > 0) return 'closed';
  return (await inspectToken(getDb(), 'setup', token)).state;
}

/**
 * Creates the first admin with a setup token. Closes setup for good: once any admin exists, every
 * setup token is refused.
 */
export async function completeSetup(
  input: { token: string; email: string; name: string; password: string },
  client: { ip: string; userAgent: string | null },
): Promise<{ ok: true; adminId: string } | { ok: false; state: Exclude<SetupLinkState, 'valid'> }> {
  const email = input.email.trim();
  assertPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK_KEY})`);
    if ((await countAdmins(tx)) > 0) return { ok: false, state: 'closed' } as const;
    const used = await consumeToken(tx, 'setup', input.token);
    if (!used.ok) return { ok: false, state: used.state } as const;
    const [row] = await tx
      .insert(schema.admins)
      .values({ email, name: input.name.trim(), passwordHash, createdAt: now(), updatedAt: now() })
      .returning({ id: schema.admins.id });
    await invalidateTokens(tx, 'setup', null);
    const actor = { type: 'admin', id: row!.id, label: email } as const;
    await writeEvent(tx, { kind: EVENT.adminCreated, actor, ip: client.ip, userAgent: client.userAgent, details: { adminId: row!.id, email, via: 'setup link' } });
    await writeEvent(tx, { kind: EVENT.setupCompleted, actor, ip: client.ip, userAgent: client.userAgent });
    return { ok: true, adminId: row!.id } as const;
  });
}
