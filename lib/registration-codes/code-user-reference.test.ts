import { eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { rowsOf, schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';

// registration_codes.user_id is kept by triggers, not a foreign key (migration 0010): these prove it
// still behaves as `references users(id) on delete cascade`, alone and against concurrent transactions.

const rc = schema.registrationCodes;
const codesOf = async (userId: string) => getDb().select({ id: rc.id }).from(rc).where(eq(rc.userId, userId));
let lookups = 0;
const insertCode = (userId: string) =>
  sql`insert into registration_codes (user_id, lookup, ciphertext, expires_at) values (${userId}::uuid, ${`reference-test-${++lookups}`}, 'x', now() + interval '1 day')`;
const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as { code?: string; cause?: { code?: string } });
const sqlState = (error: { code?: string; cause?: { code?: string } } | undefined) => error?.code ?? error?.cause?.code;

/** Sessions of this database waiting for a lock (the other transaction of a test). */
const waitingForLocks = async () =>
  rowsOf<{ n: number }>(await getDb().execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0]!.n;

/** A transaction held open until `release` is called; `done` settles with its outcome. */
function openTransaction(work: (tx: Parameters<Parameters<ReturnType<typeof getDb>['transaction']>[0]>[0]) => Promise<void>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const done = getDb().transaction(async (tx) => {
    await work(tx);
    started();
    await released;
  });
  done.catch(() => started());
  return { ready, release, done };
}

describe('a registration code refers to its user', () => {
  it('refuses a code for a user who does not exist, storing nothing', async () => {
    const nobody = '00000000-0000-4000-8000-00000000abcd';
    expect(sqlState(await errorOf(getDb().execute(insertCode(nobody))))).toBe('23503');
    expect(await codesOf(nobody)).toEqual([]);
  });

  it('refuses it inside a bigger statement too (an INSERT … ON CONFLICT in a CTE, as code generation for selected users runs)', async () => {
    const nobody = '00000000-0000-4000-8000-00000000abce';
    const statement = sql`with inserted as (
        insert into registration_codes (user_id, lookup, ciphertext, expires_at) values (${nobody}::uuid, 'reference-test-cte', 'x', now() + interval '1 day')
        on conflict (lookup) do nothing returning id
      ) select count(*) from inserted`;
    expect(sqlState(await errorOf(getDb().execute(statement)))).toBe('23503');
    expect(await codesOf(nobody)).toEqual([]);
  });

  it('never moves a code to another user', async () => {
    const [a, b] = [await insertTestUser(), await insertTestUser()];
    await getDb().execute(insertCode(a.id));
    expect(sqlState(await errorOf(getDb().update(rc).set({ userId: b.id }).where(eq(rc.userId, a.id))))).toBe('23503');
    expect(await codesOf(a.id)).toHaveLength(1);
  });

  it("deletes a user's codes with the user, and only theirs", async () => {
    const [gone, kept] = [await insertTestUser(), await insertTestUser()];
    await getDb().execute(insertCode(gone.id));
    await getDb().execute(insertCode(gone.id));
    await getDb().execute(insertCode(kept.id));
    await getDb().delete(schema.users).where(inArray(schema.users.id, [gone.id]));
    expect(await codesOf(gone.id)).toEqual([]);
    expect(await codesOf(kept.id)).toHaveLength(1);
  });

  it.runIf(inject('testDriver') === 'postgres')('a deletion waits for codes being given to the user, then deletes them too', async () => {
    const user = await insertTestUser();
    const giving = openTransaction(async (tx) => {
      await tx.execute(insertCode(user.id));
    });
    await giving.ready;
    // (.then starts the statement: a drizzle query runs when it is awaited.)
    const deleting = getDb().delete(schema.users).where(eq(schema.users.id, user.id)).then(() => 'deleted');
    try {
      await expect.poll(waitingForLocks).toBe(1);
    } finally {
      giving.release();
    }
    await giving.done;
    expect(await deleting).toBe('deleted');
    expect(await codesOf(user.id)).toEqual([]);
  });

  it.runIf(inject('testDriver') === 'postgres')('codes given while the user is being deleted wait, then fail: no code outlives its user', async () => {
    const user = await insertTestUser();
    const deleting = openTransaction(async (tx) => {
      await tx.delete(schema.users).where(eq(schema.users.id, user.id));
    });
    await deleting.ready;
    const giving = errorOf(getDb().execute(insertCode(user.id)));
    try {
      await expect.poll(waitingForLocks).toBe(1);
    } finally {
      deleting.release();
    }
    await deleting.done;
    expect(sqlState(await giving)).toBe('23503');
    expect(await codesOf(user.id)).toEqual([]);
  });

  it('deletes every code when the users table is truncated', async () => {
    await getDb().execute(insertCode((await insertTestUser()).id));
    await getDb().execute(sql`truncate users cascade`);
    expect(await getDb().select({ id: rc.id }).from(rc)).toEqual([]);
  });
});
