import { and, eq, inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { type Actor } from '@/lib/events';
import { insertTestUser } from '@/lib/testing/factories';
import { redeemCode } from './redeem-code';
import { revokeCode, revokeCodes } from './revoke-code';
import { generateTestCode, TEST_CLIENT } from './testing';

const T0 = new Date('2030-05-06T10:00:15.000Z');
const ADMIN: Actor = { type: 'admin', id: '3f8e2a57-6c1d-4b9e-8a0f-5d4c3b2a1908', label: 'grace@example.com' };

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

const rc = schema.registrationCodes;
const rowsOf = async (ids: string[]) => new Map((await getDb().select().from(rc).where(inArray(rc.id, ids))).map((r) => [r.id, r]));
const eventsFor = (subType: string, ids: string[]) =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.type, 'Registration Code'), eq(schema.events.subType, subType)))
    .then((events) => events.filter((e) => ids.includes(e.details.registrationId as string)));

describe('revokeCodes', () => {
  it('revokes many valid codes in one go, with a Revoked event each, and keeps the rows', async () => {
    const users = [await insertTestUser(), await insertTestUser(), await insertTestUser()];
    const codes = [await generateTestCode(users[0]!.id), await generateTestCode(users[1]!.id), await generateTestCode(users[2]!.id), await generateTestCode(users[2]!.id)];
    const ids = codes.map((c) => c.id);
    setClock(new Date(T0.getTime() + 60_000));

    expect(await revokeCodes([...ids, ids[0]!], ADMIN, TEST_CLIENT)).toEqual({ revoked: 4, skipped: [] });
    const rows = await rowsOf(ids);
    expect(rows.size).toBe(4);
    for (const row of rows.values()) expect(row).toMatchObject({ status: 'revoked', revokedAt: new Date(T0.getTime() + 60_000) });
    const events = await eventsFor('Revoked', ids);
    expect(events).toHaveLength(4);
    for (const e of events) {
      expect(e).toMatchObject({ actorType: 'admin', actorId: ADMIN.id, actorLabel: ADMIN.label, ip: TEST_CLIENT.ip, userAgent: TEST_CLIENT.userAgent });
      expect(e.subjectUserId).toBe(rows.get(e.details.registrationId as string)!.userId);
    }
    // A revoked code is refused at redemption.
    expect(await redeemCode({ code: codes[0]!.code, device: { name: 'Mac', platform: 'macos' } }, TEST_CLIENT)).toEqual({ ok: false, code: 'code_revoked' });
  });

  it('skips codes that are no longer valid with the reason, and marks a valid code past its expiry as expired', async () => {
    const user = await insertTestUser();
    const used = await generateTestCode(user.id);
    expect((await redeemCode({ code: used.code, device: { name: 'Phone', platform: 'ios' } }, TEST_CLIENT)).ok).toBe(true);
    const revoked = await generateTestCode(user.id);
    expect(await revokeCode(revoked.id, ADMIN, TEST_CLIENT)).toEqual({ ok: true });
    const lapsed = await generateTestCode(user.id);
    setClock(new Date(T0.getTime() + 1_000));
    const valid = await generateTestCode(user.id);
    setClock(lapsed.expiresAt);
    const unknown = '00000000-0000-4000-8000-000000000000';

    const result = await revokeCodes([used.id, revoked.id, lapsed.id, valid.id, unknown, 'not-a-uuid'], ADMIN, TEST_CLIENT);
    expect(result.revoked).toBe(1);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { id: used.id, reason: 'used' },
        { id: revoked.id, reason: 'revoked' },
        { id: lapsed.id, reason: 'expired' },
        { id: unknown, reason: 'not_found' },
        { id: 'not-a-uuid', reason: 'not_found' },
      ]),
    );
    expect(result.skipped).toHaveLength(5);
    const rows = await rowsOf([used.id, revoked.id, lapsed.id, valid.id]);
    expect([...[used, revoked, lapsed, valid].map((c) => rows.get(c.id)!.status)]).toEqual(['used', 'revoked', 'expired', 'revoked']);
    expect((await eventsFor('Expired', [lapsed.id])).map((e) => e.actorType)).toEqual(['system']);
    expect(await eventsFor('Revoked', [used.id, lapsed.id])).toEqual([]);

    // The single-code form says the same.
    expect(await revokeCode(used.id, ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'code_not_valid', status: 'used' });
    expect(await revokeCode(lapsed.id, ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'code_not_valid', status: 'expired' });
    expect(await revokeCode(unknown, ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'code_not_found' });
    expect(await revokeCodes([], ADMIN, TEST_CLIENT)).toEqual({ revoked: 0, skipped: [] });
  });
});
