import 'server-only';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { generateToken, sha256Hex } from '@/lib/crypto';
import type { Executor } from '@/lib/db';
import type { DevicePlatform } from './device-platforms';

export interface NewDevice {
  /** Chosen by the caller when it must reference the device before the row exists. */
  id?: string;
  userId: string;
  name: string;
  platform: DevicePlatform;
  registrationCodeId: string | null;
}

/**
 * Adds a device with a fresh 256-bit bearer credential. Only its SHA-256 is stored; the token is
 * returned this once, for the client to keep.
 */
export async function insertDevice(db: Executor, device: NewDevice): Promise<{ deviceId: string; token: string }> {
  const token = generateToken(32);
  const [row] = await db
    .insert(schema.devices)
    .values({ ...device, credentialHash: sha256Hex(token), createdAt: now() })
    .returning({ id: schema.devices.id });
  return { deviceId: row!.id, token };
}
