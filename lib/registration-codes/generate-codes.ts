import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, count, gt, inArray, ne, notExists, sql, type SQL } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvents, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { codeLifetimeSeconds, getAccountSettings } from '@/lib/settings';
import { generateCodeValue } from './code-format';
import { codeLookup, encryptCode } from './code-secrets';

const BATCH = 1000;
/** Serialises generateCodesForNewUsers batches, so two runs at once can't give a user two codes. */
const NEW_USERS_LOCK_KEY = 7_216_452_010;
/** A lookup collision is ~1 in 10^17 per pair; retrying a couple of times makes a failure unobservable. */
const MAX_ATTEMPTS = 3;

interface Plan {
  length: number;
  lifetimeSeconds: number;
  actor: Actor;
  client: ClientInfo;
}

/** Length and lifetime come from the settings at generation time; a code keeps them afterwards. */
async function planFor(actor: Actor, client: ClientInfo, db: Executor = getDb()): Promise<Plan> {
  const settings = await getAccountSettings(db);
  return { length: settings.codeLength, lifetimeSeconds: codeLifetimeSeconds(settings), actor, client };
}

function newRow(userId: string, plan: Plan, createdAt: Date) {
  const code = generateCodeValue(plan.length);
  return {
    id: randomUUID(),
    userId,
    lookup: codeLookup(code),
    ciphertext: encryptCode(code, userId),
    createdAt,
    expiresAt: addSeconds(createdAt, plan.lifetimeSeconds),
  };
}

/** One new code for each of ≤ BATCH users, in one statement, with a Generated event each (never the code). */
async function insertCodes(db: Executor, userIds: string[], plan: Plan): Promise<number> {
  const rc = schema.registrationCodes;
  const createdAt = now();
  const inserted: { id: string; userId: string; expiresAt: Date }[] = [];
  let pending = userIds;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
    const rows = await db
      .insert(rc)
      .values(pending.map((userId) => newRow(userId, plan, createdAt)))
      .onConflictDoNothing({ target: rc.lookup })
      .returning({ id: rc.id, userId: rc.userId, expiresAt: rc.expiresAt });
    inserted.push(...rows);
    const done = new Set(rows.map((r) => r.userId));
    pending = pending.filter((id) => !done.has(id));
  }
  await writeEvents(
    db,
    inserted.map((r) => ({
      kind: EVENT.codeGenerated,
      actor: plan.actor,
      subjectUserId: r.userId,
      ip: plan.client.ip,
      userAgent: plan.client.userAgent,
      // `registrationId`: the event writer refuses any field named like `code…` (it would look like a secret).
      details: { registrationId: r.id, expiresAt: r.expiresAt.toISOString() },
    })),
  );
  return inserted.length;
}

/**
 * One new code for each of these users (disabled and unknown users are skipped). Works in batches of
 * 1,000 users, each its own transaction. Returns how many codes were generated.
 */
export async function generateCodes(userIds: string[], actor: Actor, client: ClientInfo): Promise<number> {
  const plan = await planFor(actor, client);
  const u = schema.users;
  const unique = [...new Set(userIds)];
  let generated = 0;
  for (let i = 0; i < unique.length; i += BATCH) {
    const part = unique.slice(i, i + BATCH);
    generated += await getDb().transaction(async (tx) => {
      const eligible = await tx
        .select({ id: u.id })
        .from(u)
        .where(and(inArray(u.id, part), ne(u.status, 'disabled')))
        .orderBy(u.id);
      return insertCodes(tx, eligible.map((r) => r.id), plan);
    });
  }
  return generated;
}

/**
 * One new code for each of these users, inside the caller's transaction: for a bulk action that has
 * already locked the users and left out disabled ones (this checks nothing). Returns how many were generated.
 */
export async function generateCodesInTransaction(tx: Executor, userIds: string[], actor: Actor, client: ClientInfo): Promise<number> {
  const plan = await planFor(actor, client, tx);
  const unique = [...new Set(userIds)];
  let generated = 0;
  for (let i = 0; i < unique.length; i += BATCH) generated += await insertCodes(tx, unique.slice(i, i + BATCH), plan);
  return generated;
}

/** Users who are not disabled and never had a code, whatever became of it. */
function neverHadCode(): SQL {
  const u = schema.users;
  const rc = schema.registrationCodes;
  return and(
    ne(u.status, 'disabled'),
    notExists(getDb().select({ one: sql`1` }).from(rc).where(sql`${rc.userId} = ${u.id}`)),
  )!;
}

/** How many users generateCodesForNewUsers would give a code to (for the confirmation text). */
export async function countUsersWithoutCodes(): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(schema.users).where(neverHadCode());
  return row?.n ?? 0;
}

/**
 * One code for every user who never had one (any status but disabled). Keyset-paged over users by id,
 * 1,000 per batch, each batch its own transaction: memory stays flat for 100,000 users, and running it
 * again generates nothing new.
 */
export async function generateCodesForNewUsers(actor: Actor, client: ClientInfo): Promise<number> {
  const plan = await planFor(actor, client);
  const u = schema.users;
  let after: string | undefined;
  let generated = 0;
  for (;;) {
    const batch = await getDb().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${NEW_USERS_LOCK_KEY})`);
      const ids = (
        await tx
          .select({ id: u.id })
          .from(u)
          .where(and(neverHadCode(), after === undefined ? undefined : gt(u.id, after)))
          .orderBy(u.id)
          .limit(BATCH)
      ).map((r) => r.id);
      return { ids, generated: ids.length > 0 ? await insertCodes(tx, ids, plan) : 0 };
    });
    generated += batch.generated;
    if (batch.ids.length < BATCH) return generated;
    after = batch.ids[batch.ids.length - 1];
  }
}
