import { and, desc, eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import type { ClientInfo } from '@/lib/request';
import { insertTestUser } from '@/lib/testing/factories';

/** Test helpers only (no production code imports this file). */
export const TEST_CLIENT: ClientInfo = { ip: '203.0.113.50', userAgent: 'vitest' };

let phoneCounter = 0;
/** A new valid UK mobile number per call (+447400100001, …), so tests don't share per-number limits. */
export function freshMobile(): string {
  phoneCounter += 1;
  return `+447400${String(100000 + (process.pid % 800) * 1000 + phoneCounter).padStart(6, '0')}`;
}

let ipCounter = 0;
/** A new IP per call: keeps the per-IP caps out of tests that are not about them. */
export function freshClient(): ClientInfo {
  ipCounter += 1;
  return { ip: `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`, userAgent: 'vitest' };
}

/** A live user session row (the auth session a challenge is bound to). */
export async function insertTestSession(userId: string, overrides: Partial<typeof schema.authSessions.$inferInsert> = {}): Promise<string> {
  const [row] = await getDb()
    .insert(schema.authSessions)
    .values({ realm: 'user', principalId: userId, sessionVersion: 1, expiresAt: addSeconds(now(), 12 * 3600), mfaState: 'pending', ...overrides })
    .returning({ id: schema.authSessions.id });
  return row!.id;
}

/** A user with a verified factor on `phone`, and a pending session. */
export async function insertEnrolledUser(phone = freshMobile(), userOverrides: Partial<typeof schema.users.$inferInsert> = {}) {
  const user = await insertTestUser(userOverrides);
  await getDb().insert(schema.mfaFactors).values({ userId: user.id, phoneE164: phone, verifiedAt: now() });
  const sessionId = await insertTestSession(user.id);
  return { user, userId: user.id, sessionId, phone };
}

/** The six-digit code in the latest SMS the dev transport kept for `phone` (the outbox), or undefined. */
export async function lastCodeSentTo(phone: string): Promise<string | undefined> {
  const o = schema.outbox;
  const [row] = await getDb()
    .select({ body: o.bodyText })
    .from(o)
    .where(and(eq(o.channel, 'sms'), eq(o.recipient, phone)))
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(1);
  return row ? /\b(\d{6})\b/.exec(row.body)?.[1] : undefined;
}

/** A six-digit code other than `code`. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** Sets account settings for a test (creates the row when missing). */
export async function setTestSettings(values: Partial<typeof schema.accountSettings.$inferInsert>): Promise<void> {
  await getDb().insert(schema.accountSettings).values({ id: 1 }).onConflictDoNothing();
  await getDb().update(schema.accountSettings).set(values).where(eq(schema.accountSettings.id, 1));
}
