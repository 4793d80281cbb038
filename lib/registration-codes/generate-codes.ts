import 'server-only';
import { and, count, inArray, ne, notExists, sql, type SQL } from 'drizzle-orm';
import { rowsOf, schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { uuidV7 } from '@/lib/crypto';
import { copyRows, getDatabaseHandle, getDb, prepareCopy, startedAhead, uniqueViolation, type Executor, type PreparedCopy } from '@/lib/db';
import { EVENT, prepareEventsCopy, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { codeLifetimeSeconds, getAccountSettings } from '@/lib/settings';
import { generateCodeValue } from './code-format';
import { codeLookup, encryptCode } from './code-secrets';
import { clipEventText } from './event-text';

/** Users per statement: one JSON parameter of under 1 MB, and flat memory at any scale. */
const BATCH = 5_000;
/** Serialises generateCodesForNewUsers runs, so two at once can't give a user two codes. */
const NEW_USERS_LOCK_KEY = 7_216_452_010;
/** A lookup collision is ~1 in 10^17 per pair; retrying a couple of times makes a failure unobservable. */
const MAX_ATTEMPTS = 3;
/** A run that generated this many codes refreshes the table's statistics. */
const ANALYZE_AFTER = 10_000;

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

/** One code to insert: [row id, user id, lookup, ciphertext]. */
type NewCode = [string, string, string, string];

/**
 * A new code for each user (the plain code lives only in this call). The row ids are made here, which
 * costs PostgreSQL nothing, and are time-ordered (UUID v7), so a large batch appends to the primary key.
 */
function newCodes(userIds: string[], plan: Plan): NewCode[] {
  return userIds.map((userId) => {
    const code = generateCodeValue(plan.length);
    return [uuidV7(), userId, codeLookup(code), encryptCode(code, userId)];
  });
}

/**
 * The insert of one batch, as one statement so no query is built row by row: the codes come in as
 * one JSON parameter, and every code inserted gets its Generated event (never the code; named
 * `registrationId` because the event rules refuse any field named like `code…`) in the same
 * statement. A lookup that collides is skipped and its user comes back missing from the result.
 * `eligibleOnly` leaves out users who are disabled (and, by the join, unknown ids).
 */
function insertCodesStatement(codes: NewCode[], plan: Plan, createdAt: Date, eligibleOnly: boolean): SQL {
  const expiresAt = addSeconds(createdAt, plan.lifetimeSeconds).toISOString();
  const { actor, client } = plan;
  return sql`with input as (
      select value->>0 as id, value->>1 as user_id, value->>2 as lookup, value->>3 as ciphertext from json_array_elements(${JSON.stringify(codes)}::json)
    ), inserted as (
      insert into registration_codes (id, user_id, lookup, ciphertext, created_at, expires_at)
      select i.id::uuid, i.user_id::uuid, i.lookup, i.ciphertext, ${createdAt.toISOString()}::timestamptz, ${expiresAt}::timestamptz
        from input i${eligibleOnly ? sql`, users u where u.id = i.user_id::uuid and u.status <> 'disabled'` : sql``}
      on conflict (lookup) do nothing
      returning id, user_id
    ), logged as (
      insert into events (occurred_at, type, sub_type, actor_type, actor_id, actor_label, subject_user_id, ip, user_agent, details)
      select ${now().toISOString()}::timestamptz, ${EVENT.codeGenerated.type}::text, ${EVENT.codeGenerated.subType}::text,
             ${actor.type}::actor_type, ${actor.id ?? null}::text, ${clipEventText(actor.label)}::text, user_id,
             ${clipEventText(client.ip)}::text, ${clipEventText(client.userAgent)}::text, jsonb_build_object('registrationId', id, 'expiresAt', ${expiresAt}::text)
        from inserted
    )
    select user_id as "userId" from inserted`;
}

/** One new code for each of these users (all, or the eligible ones), with a Generated event each. */
async function insertCodes(db: Executor, userIds: string[], plan: Plan, eligibleOnly = false): Promise<number> {
  const createdAt = now();
  let inserted = 0;
  let pending = userIds;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
    const rows = rowsOf<{ userId: string }>(await db.execute(insertCodesStatement(newCodes(pending, plan), plan, createdAt, eligibleOnly)));
    inserted += rows.length;
    if (rows.length === pending.length) break;
    const done = new Set(rows.map((r) => r.userId));
    // Left out as ineligible or collided: a retry gives the collided ones a new code (eligibility is checked again).
    pending = pending.filter((id) => !done.has(id));
    if (eligibleOnly) {
      const u = schema.users;
      const eligible = await db.select({ id: u.id }).from(u).where(and(inArray(u.id, pending), ne(u.status, 'disabled')));
      pending = eligible.map((r) => r.id);
    }
  }
  return inserted;
}

/**
 * One new code for each of these users (disabled and unknown users are skipped). Works in batches of
 * 5,000 users, each its own transaction. Returns how many codes were generated.
 */
export async function generateCodes(userIds: string[], actor: Actor, client: ClientInfo): Promise<number> {
  const plan = await planFor(actor, client);
  const unique = [...new Set(userIds)];
  let generated = 0;
  for (let i = 0; i < unique.length; i += BATCH) {
    const part = unique.slice(i, i + BATCH);
    generated += await getDb().transaction((tx) => insertCodes(tx, part, plan, true));
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

interface UserPage {
  /** The page's users who never had a code. */
  ids: string[];
  /** The page's last user, where the next page starts. */
  last?: string;
  full: boolean;
}

/**
 * The next BATCH users who are not disabled, by id after `after`, and which of them never had a code.
 * The LATERAL … LIMIT 1 probes registration_codes_user_idx once per user; a plain NOT EXISTS lets the
 * planner hash the whole (growing) table on every page instead.
 */
async function readUserPage(db: Executor, after: string | undefined): Promise<UserPage> {
  const rows = rowsOf<{ id: string; hasCode: boolean }>(
    await db.execute(sql`select p.id, c.one is not null as "hasCode"
      from (select id from users where status <> 'disabled' ${after === undefined ? sql`` : sql`and id > ${after}::uuid`} order by id limit ${BATCH}) p
      left join lateral (select 1 as one from registration_codes rc where rc.user_id = p.id limit 1) c on true
      order by p.id`),
  );
  return { ids: rows.filter((r) => !r.hasCode).map((r) => r.id), last: rows.at(-1)?.id, full: rows.length === BATCH };
}

/** Lets the driver send what was just queued (postgres.js writes on setImmediate) before synchronous work starts. */
const flushed = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** Codes made between this many users at a time. */
const CODES_PER_SLICE = 500;

/**
 * newCodes in slices that let the event loop run in between: the insert in flight needs this process
 * twice (postgres.js sends its parameters only once PostgreSQL has described the statement), and
 * would otherwise wait for the whole next batch of codes before it can start.
 */
async function newCodesInSlices(userIds: string[], plan: Plan): Promise<NewCode[]> {
  const codes: NewCode[] = [];
  for (let i = 0; i < userIds.length; i += CODES_PER_SLICE) {
    codes.push(...newCodes(userIds.slice(i, i + CODES_PER_SLICE), plan));
    await flushed();
  }
  return codes;
}

const CODE_COLUMNS = ['id', 'user_id', 'lookup', 'ciphertext', 'created_at', 'expires_at'];

/** A page's new codes and their Generated events, ready for COPY. */
interface PreparedCodes {
  count: number;
  codes: PreparedCopy;
  events: PreparedCopy;
}

/**
 * New codes for these users and their Generated events (never the code), as COPY rows: for
 * generateCodesForNewUsers, which makes a page's rows while PostgreSQL stores the previous page's.
 */
async function prepareCodes(userIds: string[], plan: Plan, createdAt: Date): Promise<PreparedCodes> {
  const made = await newCodesInSlices(userIds, plan);
  const created = createdAt.toISOString();
  const expiresAt = addSeconds(createdAt, plan.lifetimeSeconds).toISOString();
  const codes = prepareCopy('registration_codes', CODE_COLUMNS, made.map(([id, userId, lookup, ciphertext]) => [id, userId, lookup, ciphertext, created, expiresAt]));
  await flushed();
  const { actor, client } = plan;
  const events = prepareEventsCopy(
    made.map(([id, userId]) => ({ kind: EVENT.codeGenerated, actor, subjectUserId: userId, ip: client.ip, userAgent: client.userAgent, details: { registrationId: id, expiresAt } })),
  );
  return { count: made.length, codes, events };
}

/** Stores a page's prepared codes and events in the transaction. A lookup that collides fails the COPY, and with it the transaction. */
async function storeCodes(tx: Executor, prepared: PreparedCodes): Promise<number> {
  await copyRows(tx, prepared.codes);
  await copyRows(tx, prepared.events);
  return prepared.count;
}

/**
 * One code for every user who never had one (any status but disabled), in one transaction under an
 * advisory lock, so two runs at once can't give a user two codes and a run is all or nothing.
 * Keyset-paged over users by id, 5,000 per page, so memory stays flat for 100,000 users; the codes of
 * the next page are made (HMAC, AES-GCM) while PostgreSQL stores the previous one (with COPY). A
 * lookup collision (~1 in 10^7 for 100,000 new codes among 100,000 stored) fails the COPY and so the
 * run, which then starts over with new codes. Running it again generates nothing new. A large run
 * ends with ANALYZE.
 */
export async function generateCodesForNewUsers(actor: Actor, client: ClientInfo): Promise<number> {
  const plan = await planFor(actor, client);
  let generated = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      generated = await getDb().transaction((tx) => generateForNewUsersIn(tx, plan));
      break;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || uniqueViolation(error)?.constraint !== 'registration_codes_lookup_key') throw error;
    }
  }
  // The planner's statistics now miss most of the table (autovacuum would catch up within a minute
  // or so): refresh them, so the lists and the download that typically follow plan well.
  if (generated >= ANALYZE_AFTER) await getDb().execute(sql`analyze registration_codes`);
  return generated;
}

/** One attempt of generateCodesForNewUsers, in its transaction. */
async function generateForNewUsersIn(tx: Executor, plan: Plan): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${NEW_USERS_LOCK_KEY})`);
  const createdAt = now();
  let total = 0;
  let storing: Promise<number> = Promise.resolve(0);
  // On PostgreSQL the pages of users are read on another connection, so PostgreSQL reads the next page
  // while this transaction's connection stores codes (the critical path). At READ COMMITTED that sees
  // what the transaction would see but its own uncommitted codes, and the keyset paging never comes
  // back to a user it has given a code. PGlite has one connection: everything goes through tx.
  const reader = getDatabaseHandle().driver === 'postgres' ? getDb() : tx;
  let page = await readUserPage(reader, undefined);
  for (;;) {
    const next = page.full ? startedAhead(readUserPage(reader, page.last)) : undefined;
    await flushed();
    const prepared = await prepareCodes(page.ids, plan, createdAt);
    total += await storing;
    storing = startedAhead(storeCodes(tx, prepared));
    if (!next) break;
    page = await next;
  }
  return total + (await storing);
}
