import 'server-only';
import { endUserSessions } from '@/lib/auth/sessions';
import { and, asc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Transaction } from '@/lib/db';
import { EVENT, writeEvents, type Actor } from '@/lib/events';
import { createInvitation, deliverInvitation } from '@/lib/invitations';
import { log } from '@/lib/log';
import { generateCodesInTransaction } from '@/lib/registration-codes';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import type { UserValues } from './plan-page';

const BATCH = 500;
/** Background work has no HTTP client; events record the actor instead. */
const NO_CLIENT: ClientInfo = { ip: '', userAgent: null };

type Change = typeof schema.directorySyncChanges.$inferSelect;

interface Provisioning {
  codes: boolean;
  invitations: boolean;
}

async function provisioningFor(): Promise<Provisioning> {
  const s = await getAccountSettings();
  return { codes: s.provisioningMethod === 'registration_code', invitations: s.provisioningMethod === 'invitation' && s.inviteDirectoryUsers };
}

const endSessions = endUserSessions;

async function markSkipped(tx: Transaction, change: Change, reason: string) {
  const c = schema.directorySyncChanges;
  await tx.update(c).set({ action: 'skip', reason, appliedAt: now() }).where(eq(c.id, change.id));
}

interface BatchResult {
  invitations: { userId: string; token: string; expiresAt: Date }[];
}

/** Creates: one multi-row insert; a row another writer took meanwhile (email, username, id) is skipped, not fatal. */
async function applyCreates(tx: Transaction, changes: Change[], actor: Actor, provisioning: Provisioning, out: BatchResult) {
  if (!changes.length) return;
  const u = schema.users;
  const at = now();
  const inserted = await tx
    .insert(u)
    .values(changes.map((c) => ({ ...(c.record as unknown as UserValues), directoryId: c.directoryId!, source: 'directory' as const, status: 'invited' as const, createdAt: at, updatedAt: at })))
    .onConflictDoNothing()
    .returning({ id: u.id, directoryId: u.directoryId });
  const byDirectoryId = new Map(inserted.map((r) => [r.directoryId!, r.id]));
  const c = schema.directorySyncChanges;
  const created = changes.flatMap((change) => {
    const userId = byDirectoryId.get(change.directoryId!);
    return userId ? [{ id: change.id, user_id: userId }] : [];
  });
  if (created.length) {
    // One statement for the whole batch: each change row gets its new user's id.
    await tx.execute(sql`update ${c} set user_id = v.user_id, applied_at = ${at.toISOString()}
      from json_to_recordset(${JSON.stringify(created)}::json) as v(id bigint, user_id uuid) where ${c.id} = v.id`);
  }
  for (const change of changes) {
    if (!byDirectoryId.has(change.directoryId!)) {
      await markSkipped(tx, change, 'Another user took this email address, username or directory id before the sync could create the user.');
    }
  }
  const ids = inserted.map((r) => r.id);
  if (!ids.length) return;
  // Provisioning happens only here, for users this run created: never a second time.
  if (provisioning.codes) await generateCodesInTransaction(tx, ids, actor, NO_CLIENT);
  if (provisioning.invitations) {
    for (const userId of ids) out.invitations.push({ userId, ...(await createInvitation(tx, { userId, actor, client: null, resend: false })) });
  }
}

async function applyUpdate(tx: Transaction, change: Change) {
  const u = schema.users;
  const values = change.record as unknown as UserValues;
  const touchesUnique = 'email' in change.fields || 'username' in change.fields;
  const write = (db: Transaction) =>
    db.update(u).set({ ...values, updatedAt: now() }).where(and(eq(u.id, change.userId!), eq(u.source, 'directory'))).returning({ id: u.id });
  try {
    // A changed email or username may collide with a user created meanwhile: a savepoint keeps the batch alive.
    const rows = touchesUnique ? await tx.transaction((sp) => write(sp)) : await write(tx);
    return rows.length === 1;
  } catch (error) {
    if ((error as { cause?: { code?: string }; code?: string })?.cause?.code === '23505' || (error as { code?: string }).code === '23505') return false;
    throw error;
  }
}

async function applyUpdates(tx: Transaction, changes: Change[]) {
  const c = schema.directorySyncChanges;
  for (const change of changes) {
    if (await applyUpdate(tx, change)) await tx.update(c).set({ appliedAt: now() }).where(eq(c.id, change.id));
    else await markSkipped(tx, change, 'The user changed or its new email address or username was taken before the sync applied it.');
  }
}

async function applyReenables(tx: Transaction, changes: Change[], actor: Actor, runId: string) {
  if (!changes.length) return;
  const u = schema.users;
  const c = schema.directorySyncChanges;
  const done: Change[] = [];
  for (const change of changes) {
    const updated = await applyUpdate(tx, change);
    const [row] = updated
      ? await tx
          .update(u)
          // Back to active when they had activated, else invited — as the admin Enable does.
          .set({
            status: sql`case when ${u.passwordHash} is null and ${u.activatedAt} is null then 'invited'::user_status else 'active'::user_status end`,
            disabledAt: null,
            updatedAt: now(),
          })
          .where(and(eq(u.id, change.userId!), eq(u.status, 'disabled'), eq(u.source, 'directory')))
          .returning({ id: u.id })
      : [];
    if (!row) {
      await markSkipped(tx, change, 'The user was changed or enabled by someone else before the sync could re-enable them.');
      continue;
    }
    await tx.delete(schema.directoryDisabledUsers).where(eq(schema.directoryDisabledUsers.userId, change.userId!));
    await tx.update(c).set({ appliedAt: now() }).where(eq(c.id, change.id));
    done.push(change);
  }
  await writeEvents(
    tx,
    done.map((ch) => ({ kind: EVENT.userEnabled, actor, subjectUserId: ch.userId, details: { email: ch.email, reason: 'back in the directory', syncRunId: runId } })),
  );
}

async function applyDisables(tx: Transaction, changes: Change[], actor: Actor, runId: string) {
  if (!changes.length) return;
  const u = schema.users;
  const c = schema.directorySyncChanges;
  const at = now();
  const rows = await tx
    .update(u)
    .set({ status: 'disabled', disabledAt: at, updatedAt: at })
    .where(and(inArray(u.id, changes.map((ch) => ch.userId!)), eq(u.source, 'directory'), ne(u.status, 'disabled')))
    .returning({ id: u.id });
  const ids = new Set(rows.map((r) => r.id));
  if (ids.size) {
    await endSessions(tx, [...ids]);
    await tx
      .insert(schema.directoryDisabledUsers)
      .values([...ids].map((userId) => ({ userId, runId, disabledAt: at })))
      .onConflictDoUpdate({ target: schema.directoryDisabledUsers.userId, set: { runId, disabledAt: at } });
  }
  for (const change of changes) {
    if (ids.has(change.userId!)) await tx.update(c).set({ appliedAt: at }).where(eq(c.id, change.id));
    else await markSkipped(tx, change, 'The user was already disabled or changed before the sync applied this.');
  }
  await writeEvents(
    tx,
    changes
      .filter((ch) => ids.has(ch.userId!))
      .map((ch) => ({ kind: EVENT.userDisabled, actor, subjectUserId: ch.userId, details: { email: ch.email, reason: 'no longer in the directory', syncRunId: runId } })),
  );
}

/**
 * Applies a run's staged changes in batches of 500, each in its own transaction (users, change rows
 * marked applied, events, registration codes and invitation links for new users). After a crash the
 * data is consistent batch by batch; the next run computes again and completes the rest.
 * Invitation emails go out after their batch commits. `onBatch` reports progress (and may abort).
 */
export async function applyStagedChanges(runId: string, actor: Actor, onBatch: () => Promise<void>): Promise<void> {
  const c = schema.directorySyncChanges;
  const provisioning = await provisioningFor();
  let after = 0;
  for (;;) {
    const batch = await getDb()
      .select()
      .from(c)
      .where(and(eq(c.runId, runId), gt(c.id, after), isNull(c.appliedAt), inArray(c.action, ['create', 'update', 'reenable', 'disable'])))
      .orderBy(asc(c.id))
      .limit(BATCH);
    if (!batch.length) return;
    after = batch[batch.length - 1]!.id;
    const out: BatchResult = { invitations: [] };
    await getDb().transaction(async (tx) => {
      const of = (action: Change['action']) => batch.filter((ch) => ch.action === action);
      await applyCreates(tx, of('create'), actor, provisioning, out);
      await applyUpdates(tx, of('update'));
      await applyReenables(tx, of('reenable'), actor, runId);
      await applyDisables(tx, of('disable'), actor, runId);
    });
    for (const invitation of out.invitations) {
      const sent = await deliverInvitation(invitation).catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
      if (!sent.ok) log.warn('directory sync: invitation email failed', { userId: invitation.userId, reason: sent.reason });
    }
    await onBatch();
  }
}
