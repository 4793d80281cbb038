import { and, eq, inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { SYSTEM_ACTOR } from '@/lib/events';
import { insertTestUser } from '@/lib/testing/factories';
import { sweepExpiredCodes } from './expire-codes';
import { generateCodes } from './generate-codes';
import { redeemCode } from './redeem-code';
import { generateTestCode, insertManyTestUsers, TEST_CLIENT } from './testing';

const T0 = new Date('2030-05-06T10:00:15.000Z');
const DAY_MS = 86_400_000;

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

const rc = schema.registrationCodes;
const statusOf = async (id: string) => (await getDb().select({ s: rc.status }).from(rc).where(eq(rc.id, id)))[0]!.s;
const expiredEvents = () =>
  getDb().select().from(schema.events).where(and(eq(schema.events.type, 'Registration Code'), eq(schema.events.subType, 'Expired')));

describe('sweepExpiredCodes', () => {
  it('marks only valid codes past expiry, once, with an Expired event each', async () => {
    const user = await insertTestUser();
    const used = await generateTestCode(user.id);
    const device = { name: 'Phone', platform: 'ios' } as const;
    expect((await redeemCode({ code: used.code, device }, TEST_CLIENT)).ok).toBe(true);
    const due = [await generateTestCode(user.id), await generateTestCode(user.id)];
    setClock(new Date(T0.getTime() + DAY_MS));
    const fresh = await generateTestCode(user.id);

    setClock(new Date(due[0]!.expiresAt.getTime() - 1));
    expect(await sweepExpiredCodes()).toBe(0);
    setClock(due[0]!.expiresAt);
    expect(await sweepExpiredCodes()).toBe(2);
    expect(await statusOf(used.id)).toBe('used');
    for (const c of due) expect(await statusOf(c.id)).toBe('expired');
    expect(await statusOf(fresh.id)).toBe('valid');
    expect(await sweepExpiredCodes()).toBe(0);

    const events = await expiredEvents();
    expect(events.map((e) => e.details.registrationId).sort()).toEqual(due.map((c) => c.id).sort());
    expect(events.every((e) => e.actorType === 'system' && e.subjectUserId === user.id)).toBe(true);
  });

  it('works through more codes than one batch', async () => {
    const before = (await expiredEvents()).length;
    const ids = await insertManyTestUsers(1_500);
    expect(await generateCodes(ids, SYSTEM_ACTOR, TEST_CLIENT)).toBe(1_500);
    setClock(new Date(T0.getTime() + 7 * DAY_MS));
    expect(await sweepExpiredCodes()).toBe(1_500);
    expect((await expiredEvents()).length - before).toBe(1_500);
    expect(await getDb().select({ id: rc.id }).from(rc).where(and(eq(rc.status, 'valid'), inArray(rc.userId, ids)))).toEqual([]);
  });
});
