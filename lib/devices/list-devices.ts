import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';

export interface DeviceSummary {
  id: string;
  name: string;
  platform: 'windows' | 'macos' | 'linux' | 'ios' | 'android';
  registeredAt: Date;
  lastSeenAt: Date | null;
}

/** The user's registered devices that still work (not revoked), newest first. */
export async function listUserDevices(userId: string): Promise<DeviceSummary[]> {
  const d = schema.devices;
  return getDb()
    .select({ id: d.id, name: d.name, platform: d.platform, registeredAt: d.createdAt, lastSeenAt: d.lastSeenAt })
    .from(d)
    .where(and(eq(d.userId, userId), isNull(d.revokedAt)))
    .orderBy(desc(d.createdAt), desc(d.id));
}
