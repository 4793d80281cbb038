import 'server-only';
import { endUserSessions } from '@/lib/auth/sessions';
import { inArray, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Transaction } from '@/lib/db';
import { revokeUserDevices } from '@/lib/devices/revoke-device';
import { EVENT, writeEvents, type Actor, type EventKind } from '@/lib/events';
import { inviteUser, sendAccountNotice } from '@/lib/invitations';
import { generateCodesInTransaction } from '@/lib/registration-codes/generate-codes';
import { revokeUserCodes } from '@/lib/registration-codes/revoke-code';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import type { BulkAction } from './schemas';
import type { UserFilter } from './user-filter';
import { userWhere } from './user-where';

export interface BulkOutcome {
  id: string;
  email: string;
  reason: string;
}

export interface BulkResult {
  succeeded: number;
  failed: BulkOutcome[];
  skipped: BulkOutcome[];
}

export type BulkSelection = { ids: string[] } | { filter: UserFilter };

interface Target {
  id: string;
  email: string;
  status: 'invited' | 'active' | 'disabled';
  source: 'manual' | 'directory';
}

const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The users a selection means, locked for the transaction. */
async function lockTargets(tx: Transaction, selection: BulkSelection): Promise<Target[]> {
  const u = schema.users;
  const columns = { id: u.id, email: u.email, status: u.status, source: u.source };
  if ('filter' in selection) {
    return tx.select(columns).from(u).where(userWhere(selection.filter)).orderBy(u.id).for('update');
  }
  const unique = [...new Set(selection.ids)];
  const found: Target[] = [];
  for (const part of chunks(unique)) found.push(...(await tx.select(columns).from(u).where(inArray(u.id, part)).orderBy(u.id).for('update')));
  return found;
}

type Status = Target['status'];

/**
 * One event per target. Every admin change records `changes.status` before → after ('deleted' for a
 * deletion), so the log reads like the user's history.
 */
function events(kind: EventKind, targets: Target[], actor: Actor, client: ClientInfo, after: (t: Target) => Status | 'deleted', extra: Record<string, unknown> = {}) {
  return targets.map((t) => ({
    kind,
    actor,
    subjectUserId: t.id,
    ip: client.ip,
    userAgent: client.userAgent,
    details: { email: t.email, changes: { status: { before: t.status, after: after(t) } }, ...extra },
  }));
}

const endSessions = endUserSessions;

async function disable(tx: Transaction, targets: Target[], actor: Actor, client: ClientInfo) {
  const ids = targets.map((t) => t.id);
  for (const part of chunks(ids)) {
    await tx.update(schema.users).set({ status: 'disabled', disabledAt: now(), updatedAt: now() }).where(inArray(schema.users.id, part));
  }
  await endSessions(tx, ids);
  await writeEvents(tx, events(EVENT.userDisabled, targets, actor, client, () => 'disabled'));
}

async function enable(tx: Transaction, targets: Target[], actor: Actor, client: ClientInfo) {
  const u = schema.users;
  const statusNow = new Map<string, Status>();
  for (const part of chunks(targets.map((t) => t.id))) {
    const rows = await tx
      .update(u)
      // Back to active when they had activated (by password, or by redeeming a registration code).
      .set({
        status: sql`case when ${u.passwordHash} is null and ${u.activatedAt} is null then 'invited'::user_status else 'active'::user_status end`,
        disabledAt: null,
        updatedAt: now(),
      })
      .where(inArray(u.id, part))
      .returning({ id: u.id, status: u.status });
    for (const r of rows) statusNow.set(r.id, r.status);
  }
  await writeEvents(tx, events(EVENT.userEnabled, targets, actor, client, (t) => statusNow.get(t.id) ?? t.status));
}

async function remove(tx: Transaction, targets: Target[], actor: Actor, client: ClientInfo) {
  const ids = targets.map((t) => t.id);
  await endSessions(tx, ids);
  for (const part of chunks(ids)) await tx.delete(schema.users).where(inArray(schema.users.id, part));
  await writeEvents(tx, events(EVENT.userDeleted, targets, actor, client, () => 'deleted'));
}

const RESET_REASON = 'password reset by an admin';

/**
 * Admin "Reset password": clears the password (the user must activate again), ends sessions,
 * revokes the user's registration codes and device credentials (a Revoked event each, saying why).
 */
async function resetPasswords(tx: Transaction, targets: Target[], actor: Actor, client: ClientInfo) {
  const u = schema.users;
  const ids = targets.map((t) => t.id);
  for (const part of chunks(ids)) {
    await tx
      .update(u)
      .set({
        passwordHash: null,
        status: sql`case when ${u.status} = 'disabled' then 'disabled'::user_status else 'invited'::user_status end`,
        activatedAt: null,
        updatedAt: now(),
      })
      .where(inArray(u.id, part));
    await revokeUserCodes(tx, part, actor, client, RESET_REASON);
  }
  await revokeUserDevices(tx, ids, actor, client, RESET_REASON);
  await endSessions(tx, ids);
  await writeEvents(tx, events(EVENT.passwordReset, targets, actor, client, (t) => (t.status === 'disabled' ? 'disabled' : 'invited'), { sessionsEnded: true }));
}

/** One new registration code per user, even for users who already hold some. */
async function generateRegistrationCodes(tx: Transaction, targets: Target[], actor: Actor, client: ClientInfo) {
  await generateCodesInTransaction(tx, targets.map((t) => t.id), actor, client);
}

const SKIP_RULES: Record<BulkAction, (t: Target) => string | undefined> = {
  disable: (t) => (t.status === 'disabled' ? 'Already disabled.' : undefined),
  enable: (t) => (t.status !== 'disabled' ? 'Not disabled.' : undefined),
  delete: (t) => (t.source === 'directory' ? 'Directory users are managed by the directory sync; disable them instead.' : undefined),
  reset_password: () => undefined,
  resend_invitation: (t) =>
    t.status === 'active' ? 'Already active: use Reset password to send a new activation link.' : t.status === 'disabled' ? 'Disabled: enable the user first.' : undefined,
  generate_code: (t) => (t.status === 'disabled' ? 'Disabled: enable the user first.' : undefined),
};

const APPLY: Partial<Record<BulkAction, (tx: Transaction, targets: Target[], actor: Actor, client: ClientInfo) => Promise<void>>> = {
  disable,
  enable,
  delete: remove,
  reset_password: resetPasswords,
  generate_code: generateRegistrationCodes,
};

/**
 * Runs one action on a selection (ids, or every user matching a filter). Database changes happen in
 * one transaction; emails go out after it commits, with an outcome per user.
 */
export async function applyBulkAction(action: BulkAction, selection: BulkSelection, actor: Actor, client: ClientInfo): Promise<BulkResult> {
  const settings = await getAccountSettings();
  const { applied, skipped } = await getDb().transaction(async (tx) => {
    const targets = await lockTargets(tx, selection);
    const skippedHere: BulkOutcome[] = [];
    const applicable: Target[] = [];
    for (const t of targets) {
      const reason = SKIP_RULES[action](t);
      if (reason) skippedHere.push({ id: t.id, email: t.email, reason });
      else applicable.push(t);
    }
    const apply = APPLY[action];
    if (apply && applicable.length) await apply(tx, applicable, actor, client);
    return { applied: applicable, skipped: skippedHere };
  });
  if ('ids' in selection) {
    const found = new Set([...applied, ...skipped].map((t) => t.id));
    for (const id of new Set(selection.ids)) if (!found.has(id)) skipped.push({ id, email: '', reason: 'No longer exists.' });
  }
  const failed: BulkOutcome[] = [];
  const mails =
    action === 'resend_invitation'
      ? applied
      : action === 'reset_password' && settings.provisioningMethod === 'invitation'
        ? applied.filter((t) => t.status !== 'disabled')
        : action === 'disable' && settings.notifyDisabledUsers
          ? applied
          : [];
  for (const t of mails) {
    const sent = action === 'disable' ? await sendAccountNotice(t.id, 'disabled') : await inviteUser(t.id, { actor, client, resend: true });
    if (!sent.ok) {
      const prefix = action === 'resend_invitation' ? '' : 'Done, but the email was not sent: ';
      failed.push({ id: t.id, email: t.email, reason: `${prefix}${sent.reason}` });
    }
  }
  const succeeded = action === 'resend_invitation' ? applied.length - failed.length : applied.length;
  return { succeeded, failed, skipped };
}
