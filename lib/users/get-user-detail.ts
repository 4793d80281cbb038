import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { listRecentEvents, type EventDto } from '@/lib/events';
import { getInvitationState } from '@/lib/invitations';
import { maskPhone, PHONE_PROBLEMS, type PhoneStatus } from '@/lib/phone';

export interface UserDetail {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  source: 'manual' | 'directory';
  status: 'invited' | 'active' | 'disabled';
  phoneE164: string | null;
  phoneStatus: PhoneStatus;
  phoneRaw: string | null;
  phoneSource: string | null;
  phoneProblem: string | null;
  directoryDn: string | null;
  /** Whether this user must use two-factor whatever the policy ('required' / 'exempt'), or follows it. */
  mfaOverride: 'default' | 'required' | 'exempt';
  createdAt: Date;
  updatedAt: Date;
  activatedAt: Date | null;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  invitation: Awaited<ReturnType<typeof getInvitationState>>;
  mfa: { state: 'not_enrolled' | 'enrolled' | 'locked'; maskedPhone: string | null };
  devices: { id: string; name: string; platform: string; createdAt: Date; lastSeenAt: Date | null; revokedAt: Date | null }[];
  events: EventDto[];
}

/** Everything the admin's user page shows. Undefined when the user does not exist. */
export async function getUserDetail(userId: string): Promise<UserDetail | undefined> {
  const u = schema.users;
  const [row] = await getDb().select().from(u).where(eq(u.id, userId));
  if (!row) return undefined;
  const f = schema.mfaFactors;
  const d = schema.devices;
  const [factor] = await getDb().select().from(f).where(eq(f.userId, userId));
  const devices = await getDb()
    .select({ id: d.id, name: d.name, platform: d.platform, createdAt: d.createdAt, lastSeenAt: d.lastSeenAt, revokedAt: d.revokedAt })
    .from(d)
    .where(and(eq(d.userId, userId), isNull(d.revokedAt)))
    .orderBy(desc(d.createdAt))
    .limit(100);
  const mfaState = factor?.lockedAt ? 'locked' : factor?.verifiedAt ? 'enrolled' : 'not_enrolled';
  return {
    id: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    username: row.username,
    source: row.source,
    status: row.status,
    phoneE164: row.phoneE164,
    phoneStatus: row.phoneStatus,
    phoneRaw: row.phoneRaw,
    phoneSource: row.phoneSource,
    phoneProblem: row.phoneStatus === 'ok' ? null : PHONE_PROBLEMS[row.phoneStatus],
    directoryDn: row.directoryDn,
    mfaOverride: row.mfaOverride,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    activatedAt: row.activatedAt,
    disabledAt: row.disabledAt,
    lastSignInAt: row.lastSignInAt,
    invitation: await getInvitationState(userId),
    mfa: { state: mfaState, maskedPhone: factor?.phoneE164 ? maskPhone(factor.phoneE164) : null },
    devices,
    events: await listRecentEvents({ subjectUserId: userId, limit: 20 }),
  };
}
