import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { type Actor } from '@/lib/events';
import { redeemCode, revokeCode } from '@/lib/registration-codes';
import { generateTestCode, TEST_CLIENT } from '@/lib/registration-codes/testing';
import { insertTestUser } from '@/lib/testing/factories';
import { checkDeviceCredential } from './check-device-credential';
import { revokeDevice, revokeUserDevices } from './revoke-device';

const T0 = new Date('2030-05-06T10:00:15.000Z');
const ADMIN: Actor = { type: 'admin', id: '3f8e2a57-6c1d-4b9e-8a0f-5d4c3b2a1908', label: 'grace@example.com' };

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

/** A user with one registered device, through the real redemption path. */
async function registeredDevice(userOverrides: Parameters<typeof insertTestUser>[0] = {}) {
  const user = await insertTestUser(userOverrides);
  const { code } = await generateTestCode(user.id);
  const result = await redeemCode({ code, device: { name: 'Work laptop', platform: 'linux' } }, TEST_CLIENT);
  if (!result.ok) throw new Error(result.code);
  return { user, deviceId: result.deviceId, token: result.token };
}

const lastSeenOf = async (deviceId: string) =>
  (await getDb().select({ at: schema.devices.lastSeenAt }).from(schema.devices).where(eq(schema.devices.id, deviceId)))[0]!.at;
const revokedEvents = (deviceId: string) =>
  getDb()
    .select()
    .from(schema.events)
    .where(and(eq(schema.events.type, 'Device'), eq(schema.events.subType, 'Revoked'), eq(schema.events.deviceId, deviceId)));

describe('checkDeviceCredential', () => {
  it('accepts a live credential and says whose device it is', async () => {
    const { user, deviceId, token } = await registeredDevice({ firstName: 'Bo', lastName: 'Ek' });
    expect(await checkDeviceCredential(token)).toEqual({ ok: true, deviceId, user: { email: user.email, firstName: 'Bo', lastName: 'Ek' } });
  });

  it('refuses anything that is not a live credential', async () => {
    const { token } = await registeredDevice();
    const other = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of ['', 'x', other, `${token}x`, token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase()]) {
      expect(await checkDeviceCredential(bad)).toEqual({ ok: false, code: 'invalid_token' });
    }
  });

  it('records when the device was last seen, at most once a minute', async () => {
    const { deviceId, token } = await registeredDevice();
    expect(await lastSeenOf(deviceId)).toBeNull();
    await checkDeviceCredential(token);
    expect(await lastSeenOf(deviceId)).toEqual(T0);
    setClock(new Date(T0.getTime() + 59_999));
    await checkDeviceCredential(token);
    expect(await lastSeenOf(deviceId)).toEqual(T0);
    setClock(new Date(T0.getTime() + 60_001));
    await checkDeviceCredential(token);
    expect(await lastSeenOf(deviceId)).toEqual(new Date(T0.getTime() + 60_001));
  });
});

describe('revocation reaches the next credential check', () => {
  it('an admin revokes a device', async () => {
    const { user, deviceId, token } = await registeredDevice();
    expect(await revokeDevice(deviceId, ADMIN, TEST_CLIENT)).toEqual({ ok: true });
    expect(await checkDeviceCredential(token)).toEqual({ ok: false, code: 'device_revoked' });
    expect(await revokeDevice(deviceId, ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'device_already_revoked' });
    const events = await revokedEvents(deviceId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: 'admin', actorId: ADMIN.id, subjectUserId: user.id, ip: TEST_CLIENT.ip });
    expect(events[0]!.details).toEqual({ name: 'Work laptop', platform: 'linux' });
  });

  it('a user revokes their own device, and nobody else’s', async () => {
    const mine = await registeredDevice();
    const theirs = await registeredDevice();
    const me: Actor = { type: 'user', id: mine.user.id, label: mine.user.email };

    expect(await revokeDevice(theirs.deviceId, me, TEST_CLIENT)).toEqual({ ok: false, code: 'device_not_found' });
    // Naming the other user as owner doesn't help: a user actor is always the owner.
    expect(await revokeDevice(theirs.deviceId, me, TEST_CLIENT, theirs.user.id)).toEqual({ ok: false, code: 'device_not_found' });
    expect((await checkDeviceCredential(theirs.token)).ok).toBe(true);
    expect(await revokedEvents(theirs.deviceId)).toEqual([]);

    expect(await revokeDevice(mine.deviceId, me, TEST_CLIENT)).toEqual({ ok: true });
    expect(await checkDeviceCredential(mine.token)).toEqual({ ok: false, code: 'device_revoked' });
    expect((await revokedEvents(mine.deviceId))[0]).toMatchObject({ actorType: 'user', actorId: mine.user.id });
  });

  it('an admin scoped to one user can only revoke that user’s devices; unknown ids are not found', async () => {
    const a = await registeredDevice();
    const b = await registeredDevice();
    expect(await revokeDevice(b.deviceId, ADMIN, TEST_CLIENT, a.user.id)).toEqual({ ok: false, code: 'device_not_found' });
    expect(await revokeDevice('not-a-uuid', ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'device_not_found' });
    expect(await revokeDevice('00000000-0000-4000-8000-000000000000', ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'device_not_found' });
    expect(await revokeDevice(b.deviceId, ADMIN, TEST_CLIENT, b.user.id)).toEqual({ ok: true });
  });

  it('disabling the user refuses every device of theirs at once', async () => {
    const { user, token } = await registeredDevice();
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, user.id));
    expect(await checkDeviceCredential(token)).toEqual({ ok: false, code: 'user_disabled' });
    await getDb().update(schema.users).set({ status: 'active' }).where(eq(schema.users.id, user.id));
    expect((await checkDeviceCredential(token)).ok).toBe(true);
  });

  it('an admin reset revokes all of the user’s devices and only theirs', async () => {
    const first = await registeredDevice();
    const { code } = await generateTestCode(first.user.id);
    const second = await redeemCode({ code, device: { name: 'Phone', platform: 'android' } }, TEST_CLIENT);
    if (!second.ok) throw new Error(second.code);
    const bystander = await registeredDevice();

    const revoked = await getDb().transaction((tx) => revokeUserDevices(tx, first.user.id, ADMIN, TEST_CLIENT));
    expect(revoked).toBe(2);
    expect(await checkDeviceCredential(first.token)).toEqual({ ok: false, code: 'device_revoked' });
    expect(await checkDeviceCredential(second.token)).toEqual({ ok: false, code: 'device_revoked' });
    expect((await checkDeviceCredential(bystander.token)).ok).toBe(true);
    expect(await revokedEvents(second.deviceId)).toHaveLength(1);
    expect(await getDb().transaction((tx) => revokeUserDevices(tx, first.user.id, ADMIN, TEST_CLIENT))).toBe(0);
  });

  it('a revoked code can no longer register a device; a used one can no longer be revoked', async () => {
    const user = await insertTestUser();
    const code = await generateTestCode(user.id);
    expect(await revokeCode(code.id, ADMIN, TEST_CLIENT)).toEqual({ ok: true });
    expect(await redeemCode({ code: code.code, device: { name: 'x', platform: 'ios' } }, TEST_CLIENT)).toEqual({ ok: false, code: 'code_revoked' });
    expect(await revokeCode(code.id, ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'code_not_valid', status: 'revoked' });

    const used = await generateTestCode(user.id);
    expect((await redeemCode({ code: used.code, device: { name: 'y', platform: 'ios' } }, TEST_CLIENT)).ok).toBe(true);
    expect(await revokeCode(used.id, ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'code_not_valid', status: 'used' });
    expect(await revokeCode('00000000-0000-4000-8000-000000000000', ADMIN, TEST_CLIENT)).toEqual({ ok: false, code: 'code_not_found' });
    const revokedEvents = await getDb()
      .select()
      .from(schema.events)
      .where(and(eq(schema.events.subType, 'Revoked'), eq(schema.events.type, 'Registration Code'), eq(schema.events.subjectUserId, user.id)));
    expect(revokedEvents.map((e) => e.details)).toEqual([{ registrationId: code.id }]);
  });
});
