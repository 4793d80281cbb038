import { describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { insertTestUser } from '@/lib/testing/factories';
import { listUserDevices } from './list-devices';

describe('listUserDevices', () => {
  it("lists the user's working devices, newest first, without their credentials", async () => {
    const user = await insertTestUser();
    const other = await insertTestUser();
    const device = (userId: string, name: string, createdAt: string, revokedAt: string | null = null) => ({
      userId,
      name,
      platform: 'macos' as const,
      credentialHash: `hash-${name}-${userId}`,
      createdAt: new Date(createdAt),
      revokedAt: revokedAt ? new Date(revokedAt) : null,
    });
    await getDb()
      .insert(schema.devices)
      .values([
        device(user.id, 'Old laptop', '2030-01-01T00:00:00Z'),
        device(user.id, 'New laptop', '2030-02-01T00:00:00Z'),
        device(user.id, 'Lost phone', '2030-01-15T00:00:00Z', '2030-01-20T00:00:00Z'),
        device(other.id, 'Not mine', '2030-01-10T00:00:00Z'),
      ]);

    const devices = await listUserDevices(user.id);
    expect(devices.map((d) => [d.name, d.platform, d.registeredAt.toISOString()])).toEqual([
      ['New laptop', 'macos', '2030-02-01T00:00:00.000Z'],
      ['Old laptop', 'macos', '2030-01-01T00:00:00.000Z'],
    ]);
    expect(JSON.stringify(devices)).not.toContain('hash-');
    expect(await listUserDevices((await insertTestUser()).id)).toEqual([]);
  });
});
