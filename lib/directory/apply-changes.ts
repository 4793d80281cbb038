import 'server-only';
import { endUserSessions } from '@/lib/auth/sessions';
import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { rowsOf, schema } from '@/db/client';
import { now } from '@/lib/clock';
import { uuidV7 } from '@/lib/crypto';
import { getDb, startedAhead, uniqueViolation, type Transaction } from '@/lib/db';
import { EVENT, insertEventsFrom, writeEvents, type Actor } from '@/lib/events';
import { createInvitation, deliverInvitation } from '@/lib/invitations';
import { log } from '@/lib/log';
import { generateCodesInTransaction } from '@/lib/registration-codes';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import type { ChangeRow, UserValues } from './plan-page';

const BATCH = 2000;
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
const json = (value: unknown) => JSON.stringify(value);

async function markSkipped(tx: Transaction, change: Change, reason: string) {
  const c = schema.directorySyncChanges;
  await tx.update(c).set({ action: 'skip', reason, appliedAt: now() }).where(eq(c.id, change.id));
}

/** Marks change rows applied in one statement (optionally with the user each one created). */
async function markApplied(tx: Transaction, rows: { c: number; u?: string }[], at: string) {
  if (!rows.length) return;
  await tx.execute(sql`update directory_sync_changes set user_id = coalesce(v.u, directory_sync_changes.user_id), applied_at = ${at}::timestamptz
    from jsonb_to_recordset(${json(rows)}::jsonb) as v(c bigint, u uuid) where directory_sync_changes.id = v.c`);
}

interface BatchResult {
  invitations: { userId: string; token: string; expiresAt: Date }[];
}

interface ApplyContext {
  tx: Transaction;
  runId: string;
  /** Who the user events name: the directory sync (system), with the run in their details. */
  actor: Actor;
  at: string;
}

/** The mapped fields a created user starts with, as its User › Created event records them. */
function createdDetails(values: UserValues, runId: string) {
  return {
    email: values.email,
    username: values.username,
    source: 'directory',
    firstName: values.firstName,
    lastName: values.lastName,
    directoryDn: values.directoryDn,
    phone: values.phoneE164,
    phoneStatus: values.phoneStatus,
    phoneSource: values.phoneSource,
    syncRunId: runId,
  };
}

/** Inserts new directory users (ids generated here, UUID v7) in one statement; returns which ids were inserted. */
async function insertUsers(tx: Transaction, items: { directoryId: string; values: UserValues }[], at: string): Promise<{ ids: string[]; inserted: Set<string> }> {
  const rows = items.map(({ directoryId, values: r }) => ({
    i: uuidV7(),
    f: r.firstName,
    l: r.lastName,
    e: r.email,
    u: r.username,
    d: directoryId,
    dn: r.directoryDn,
    p: r.phoneE164,
    ps: r.phoneStatus,
    pr: r.phoneRaw,
    src: r.phoneSource,
  }));
  const inserted = rowsOf<{ id: string }>(
    await tx.execute(sql`insert into users (id, first_name, last_name, email, username, source, status, phone_e_164, phone_status, phone_raw, phone_source, directory_id, directory_dn, created_at, updated_at)
      select r.i, r.f, r.l, r.e, r.u, 'directory', 'invited', r.p, r.ps::phone_status, r.pr, r.src, r.d, r.dn, ${at}::timestamptz, ${at}::timestamptz
      from jsonb_to_recordset(${json(rows)}::jsonb) as r(i uuid, f text, l text, e text, u text, d text, dn text, p text, ps text, pr text, src text)
      on conflict do nothing returning id`),
  );
  return { ids: rows.map((r) => r.i), inserted: new Set(inserted.map((r) => r.id)) };
}

const TAKEN = 'Another user took this email address, username or directory id before the sync could create the user.';

/** What follows a create in its transaction: the User › Created events, then registration codes or invitation links. */
async function afterCreates(ctx: ApplyContext, created: { userId: string; values: UserValues }[], provisioning: Provisioning, out: BatchResult) {
  await writeEvents(
    ctx.tx,
    created.map((c) => ({ kind: EVENT.userCreated, actor: ctx.actor, subjectUserId: c.userId, details: createdDetails(c.values, ctx.runId) })),
  );
  await provision(ctx, created.map((c) => c.userId), provisioning, out);
}

/** Registration codes or invitation links for users this run created (in its transaction). */
async function provision(ctx: ApplyContext, ids: string[], provisioning: Provisioning, out: BatchResult) {
  if (!ids.length) return;
  // Provisioning happens only here, for users this run created: never a second time.
  if (provisioning.codes) await generateCodesInTransaction(ctx.tx, ids, ctx.actor, NO_CLIENT);
  if (provisioning.invitations) {
    for (const userId of ids) out.invitations.push({ userId, ...(await createInvitation(ctx.tx, { userId, actor: ctx.actor, client: null, resend: false })) });
  }
}

/**
 * Creates from staged rows: one INSERT … SELECT from a JSON array for the whole batch, one statement
 * marking the change rows, one for the User › Created events. A row another writer took meanwhile
 * (email, username, id) is skipped, not fatal.
 */
async function applyCreates(ctx: ApplyContext, changes: Change[], provisioning: Provisioning, out: BatchResult) {
  if (!changes.length) return;
  const { tx, at } = ctx;
  const { ids, inserted } = await insertUsers(tx, changes.map((c) => ({ directoryId: c.directoryId!, values: c.record as unknown as UserValues })), at);
  const created: { c: number; u: string }[] = [];
  const createdUsers: { userId: string; values: UserValues }[] = [];
  for (let k = 0; k < changes.length; k++) {
    const change = changes[k]!;
    const userId = ids[k]!;
    if (!inserted.has(userId)) {
      await markSkipped(tx, change, TAKEN);
      continue;
    }
    created.push({ c: change.id, u: userId });
    createdUsers.push({ userId, values: change.record as unknown as UserValues });
  }
  await markApplied(tx, created, at);
  await afterCreates(ctx, createdUsers, provisioning, out);
}

/**
 * The statement for a page of creates during the search (PostgreSQL): the users (ids made here, UUID v7),
 * their change rows marked applied (a create another writer beat us to becomes a skip) and their
 * User › Created events with the same details as createdDetails, all from one JSON parameter, so
 * PostgreSQL parses each user once and the process builds no event objects. It returns the created ids.
 */
function createStatement(runId: string, actor: Actor, rows: ChangeRow[], at: string): SQL {
  const items = rows.map((row, k) => {
    const r = row.record as unknown as UserValues;
    return { k, i: uuidV7(), f: r.firstName, l: r.lastName, e: r.email, u: r.username, d: row.directoryId, dn: r.directoryDn, p: r.phoneE164, ps: r.phoneStatus, pr: r.phoneRaw, src: r.phoneSource };
  });
  const events = insertEventsFrom(EVENT.userCreated, actor, at, {
    subjectUserId: sql`ins.id`,
    details: {
      email: sql`v.e`,
      username: sql`v.u`,
      source: sql`'directory'::text`,
      firstName: sql`v.f`,
      lastName: sql`v.l`,
      directoryDn: sql`v.dn`,
      phone: sql`v.p`,
      phoneStatus: sql`v.ps`,
      phoneSource: sql`v.src`,
      syncRunId: sql`${runId}::text`,
    },
    from: sql`from v join ins on ins.id = v.i order by v.k`,
  });
  return sql`with v as materialized (
        select * from jsonb_to_recordset(${json(items)}::jsonb) as v(k int, i uuid, f text, l text, e text, u text, d text, dn text, p text, ps text, pr text, src text)
      ), ins as (
        insert into users (id, first_name, last_name, email, username, source, status, phone_e_164, phone_status, phone_raw, phone_source, directory_id, directory_dn, created_at, updated_at)
        select v.i, v.f, v.l, v.e, v.u, 'directory', 'invited', v.p, v.ps::phone_status, v.pr, v.src, v.d, v.dn, ${at}::timestamptz, ${at}::timestamptz from v order by v.k
        on conflict do nothing returning id
      ), changes as (
        insert into directory_sync_changes (run_id, action, user_id, directory_id, dn, username, email, phone_source, phone_status, phone_raw, reason, applied_at)
        select ${runId}::uuid, (case when ins.id is null then 'skip' else 'create' end)::directory_sync_action, ins.id, v.d, v.dn, v.u, v.e, v.src, v.ps, v.pr,
          case when ins.id is null then ${TAKEN} end, ${at}::timestamptz
        from v left join ins on ins.id = v.i order by v.k
      ), created_events as (${events})
      select ins.id from ins join v on v.i = ins.id order by v.k`;
}

export interface DirectCreates {
  /** Sends the page's creates; returns once the page before it is written (two pages in flight at most). */
  add(rows: ChangeRow[]): Promise<void>;
  /** Waits for the last page's creates: how many users were created and skipped. */
  flush(): Promise<{ created: number; skipped: number }>;
  /** Invitation links made for the new users: send them once the transaction committed. */
  invitations: BatchResult['invitations'];
}

/**
 * Creates written during the search, in the run's own transaction `tx` (PostgreSQL): users, their change
 * rows (already marked applied), User › Created events and provisioning, one page at a time while the
 * next page is fetched and compared. A page's statement is sent as soon as the page is planned, queued
 * behind the one PostgreSQL is running, so the connection never waits for this process between pages.
 * Nothing is visible to others until the run commits `tx`, which it does only after the search
 * completed and passed the safety checks; otherwise it rolls it back.
 */
export async function startDirectCreates(tx: Transaction, runId: string, actor: Actor): Promise<DirectCreates> {
  const provisioning = await provisioningFor();
  const out: BatchResult = { invitations: [] };
  let pending: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let created = 0;
  let skipped = 0;
  const settle = async () => {
    await pending;
    if (failure) throw failure;
  };
  return {
    async add(rows) {
      if (failure) throw failure;
      if (!rows.length) return;
      const at = now().toISOString();
      const sent = startedAhead(Promise.resolve(tx.execute(createStatement(runId, actor, rows, at))));
      const previous = pending;
      pending = (async () => {
        await previous;
        const ids = rowsOf<{ id: string }>(await sent).map((r) => r.id);
        await provision({ tx, runId, actor, at }, ids, provisioning, out);
        created += ids.length;
        skipped += rows.length - ids.length;
      })().catch((error: unknown) => {
        failure ??= error;
      });
      await previous;
      if (failure) throw failure;
    },
    async flush() {
      await settle();
      return { created, skipped };
    },
    invitations: out.invitations,
  };
}

/** Sends invitation emails for users created in a transaction that has committed. */
export async function deliverInvitations(invitations: BatchResult['invitations']): Promise<void> {
  for (const invitation of invitations) {
    const sent = await deliverInvitation(invitation).catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
    if (!sent.ok) log.warn('directory sync: invitation email failed', { userId: invitation.userId, reason: sent.reason });
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
    if (uniqueViolation(error)) return false;
    throw error;
  }
}

/** Updates, each with its User › Updated event (every changed field before → after). */
/** Updates that change neither email nor username (no unique index can refuse them): one statement for the batch. */
async function updateMany(tx: Transaction, changes: Change[], at: string): Promise<Set<string>> {
  if (!changes.length) return new Set();
  const rows = changes.map((c) => {
    const r = c.record as unknown as UserValues;
    return { id: c.userId, f: r.firstName, l: r.lastName, e: r.email, u: r.username, dn: r.directoryDn, p: r.phoneE164, ps: r.phoneStatus, pr: r.phoneRaw, src: r.phoneSource };
  });
  const updated = rowsOf<{ id: string }>(
    await tx.execute(sql`update users set first_name = v.f, last_name = v.l, email = v.e, username = v.u, directory_dn = v.dn, phone_e_164 = v.p,
        phone_status = v.ps::phone_status, phone_raw = v.pr, phone_source = v.src, updated_at = ${at}::timestamptz
      from jsonb_to_recordset(${json(rows)}::jsonb) as v(id uuid, f text, l text, e text, u text, dn text, p text, ps text, pr text, src text)
      where users.id = v.id and users.source = 'directory'
      returning users.id`),
  );
  return new Set(updated.map((r) => r.id));
}

async function applyUpdates(ctx: ApplyContext, changes: Change[]) {
  const touchesUnique = (c: Change) => 'email' in c.fields || 'username' in c.fields;
  const updated = await updateMany(ctx.tx, changes.filter((c) => !touchesUnique(c)), ctx.at);
  const done: Change[] = [];
  for (const change of changes) {
    const ok = touchesUnique(change) ? await applyUpdate(ctx.tx, change) : updated.has(change.userId!);
    if (ok) done.push(change);
    else await markSkipped(ctx.tx, change, 'The user changed or its new email address or username was taken before the sync applied it.');
  }
  await markApplied(ctx.tx, done.map((ch) => ({ c: ch.id })), ctx.at);
  await writeEvents(
    ctx.tx,
    done.map((ch) => ({ kind: EVENT.userUpdated, actor: ctx.actor, subjectUserId: ch.userId, details: { email: ch.email, changes: ch.fields, syncRunId: ctx.runId } })),
  );
}

async function applyReenables(ctx: ApplyContext, changes: Change[]) {
  if (!changes.length) return;
  const { tx } = ctx;
  const u = schema.users;
  const done: { change: Change; status: string }[] = [];
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
          .returning({ id: u.id, status: u.status })
      : [];
    if (!row) {
      await markSkipped(tx, change, 'The user was changed or enabled by someone else before the sync could re-enable them.');
      continue;
    }
    await tx.delete(schema.directoryDisabledUsers).where(eq(schema.directoryDisabledUsers.userId, change.userId!));
    done.push({ change, status: row.status });
  }
  await markApplied(tx, done.map((d) => ({ c: d.change.id })), ctx.at);
  await writeEvents(
    tx,
    done.map(({ change, status }) => ({
      kind: EVENT.userEnabled,
      actor: ctx.actor,
      subjectUserId: change.userId,
      details: { email: change.email, reason: 'back in the directory', syncRunId: ctx.runId, changes: { ...change.fields, status: { before: 'disabled', after: status } } },
    })),
  );
}

async function applyDisables(ctx: ApplyContext, changes: Change[]) {
  if (!changes.length) return;
  const { tx, at, runId } = ctx;
  // The self-join reads each row as it was before this statement: the status the event records as before.
  const rows = rowsOf<{ id: string; before: string }>(
    await tx.execute(sql`update users set status = 'disabled', disabled_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
      from users old
      where old.id = users.id and users.id in (select value::uuid from jsonb_array_elements_text(${json(changes.map((ch) => ch.userId))}::jsonb))
        and users.source = 'directory' and users.status <> 'disabled'
      returning users.id, old.status as before`),
  );
  const before = new Map(rows.map((r) => [r.id, r.before]));
  if (before.size) {
    await endSessions(tx, [...before.keys()]);
    await tx
      .insert(schema.directoryDisabledUsers)
      .values([...before.keys()].map((userId) => ({ userId, runId, disabledAt: new Date(at) })))
      .onConflictDoUpdate({ target: schema.directoryDisabledUsers.userId, set: { runId, disabledAt: new Date(at) } });
  }
  const done = changes.filter((ch) => before.has(ch.userId!));
  for (const change of changes) {
    if (!before.has(change.userId!)) await markSkipped(tx, change, 'The user was already disabled or changed before the sync applied this.');
  }
  await markApplied(tx, done.map((ch) => ({ c: ch.id })), at);
  await writeEvents(
    tx,
    done.map((ch) => ({
      kind: EVENT.userDisabled,
      actor: ctx.actor,
      subjectUserId: ch.userId,
      details: { email: ch.email, reason: 'no longer in the directory', syncRunId: runId, changes: { status: { before: before.get(ch.userId!), after: 'disabled' } } },
    })),
  );
}

/**
 * Applies a run's staged changes in batches of 2,000, each in its own transaction (users, change rows
 * marked applied, events, registration codes and invitation links for new users). After a crash the
 * data is consistent batch by batch; the next run computes again and completes the rest.
 * Invitation emails go out after their batch commits. `onBatch` reports progress (and may abort). With
 * `inTransaction` every batch runs in that transaction (the run's own, committed by the caller).
 */
export async function applyStagedChanges(runId: string, actor: Actor, onBatch: () => Promise<void>, inTransaction?: Transaction): Promise<void> {
  const c = schema.directorySyncChanges;
  const provisioning = await provisioningFor();
  const db = inTransaction ?? getDb();
  let after = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(c)
      .where(and(eq(c.runId, runId), gt(c.id, after), isNull(c.appliedAt), inArray(c.action, ['create', 'update', 'reenable', 'disable'])))
      .orderBy(asc(c.id))
      .limit(BATCH);
    if (!batch.length) return;
    after = batch[batch.length - 1]!.id;
    const out: BatchResult = { invitations: [] };
    const applyBatch = async (tx: Transaction) => {
      const ctx: ApplyContext = { tx, runId, actor, at: now().toISOString() };
      const of = (action: Change['action']) => batch.filter((ch) => ch.action === action);
      await applyCreates(ctx, of('create'), provisioning, out);
      await applyUpdates(ctx, of('update'));
      await applyReenables(ctx, of('reenable'));
      await applyDisables(ctx, of('disable'));
    };
    if (inTransaction) await applyBatch(inTransaction);
    else await getDb().transaction(applyBatch);
    await deliverInvitations(out.invitations);
    await onBatch();
  }
}
