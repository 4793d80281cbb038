import 'server-only';
import { and, countDistinct, desc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import type { SmsMessageView } from './contract';
import { smsViewColumns, toSmsMessageView } from './admin-sms-log';

export interface SmsFailureView {
  user: { id: string; email: string; name: string };
  /** The user's latest failed message in the period. */
  latest: SmsMessageView;
  /** How many of the user's messages failed in the period. */
  failures: number;
}

export interface SmsFailurePage {
  rows: SmsFailureView[];
  /** Users with at least one failure in the period. */
  total: number;
  page: number;
  pageCount: number;
}

export const SMS_FAILURES_PAGE_SIZE = 25;

const m = schema.smsMessages;
/** Written as the literal predicate of the sms_messages_failed_idx partial index, so the planner uses it. */
const failed = sql`${m.status} in ('refused', 'undelivered', 'failed')`;

/**
 * Users whose SMS failed (refused before sending, failed, undelivered) in the last `days` days, one row
 * per user with their latest failure, newest first; a page at a time.
 */
export async function listRecentSmsFailures({ days = 7, page = 1 }: { days?: number; page?: number } = {}): Promise<SmsFailurePage> {
  const db = getDb();
  const where = and(failed, gte(m.createdAt, addSeconds(now(), -days * 86_400)), isNotNull(m.userId));
  const [counted] = await db.select({ n: countDistinct(m.userId) }).from(m).where(where);
  const total = counted?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / SMS_FAILURES_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const latest = db
    .selectDistinctOn([m.userId], {
      ...smsViewColumns,
      userId: m.userId,
      failures: sql<number>`count(*) over (partition by ${m.userId})`.as('failures'),
    })
    .from(m)
    .where(where)
    .orderBy(m.userId, desc(m.createdAt), desc(m.id))
    .as('latest');
  const u = schema.users;
  const rows = await db
    .select({
      message: {
        id: latest.id,
        purpose: latest.purpose,
        to: latest.to,
        status: latest.status,
        errorCode: latest.errorCode,
        errorMessage: latest.errorMessage,
        createdAt: latest.createdAt,
        updatedAt: latest.updatedAt,
      },
      failures: latest.failures,
      user: { id: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName },
    })
    .from(latest)
    .innerJoin(u, eq(u.id, latest.userId))
    .orderBy(desc(latest.createdAt), desc(latest.id))
    .limit(SMS_FAILURES_PAGE_SIZE)
    .offset((current - 1) * SMS_FAILURES_PAGE_SIZE);
  return {
    rows: rows.map(({ message, failures, user }) => ({
      user: { id: user.id, email: user.email, name: `${user.firstName} ${user.lastName}`.trim() },
      latest: toSmsMessageView(message),
      failures: Number(failures),
    })),
    total,
    page: current,
    pageCount,
  };
}
