import 'server-only';
import { and, desc, eq, gt, ne } from 'drizzle-orm';
import { schema } from '@/db/client';
import { addSeconds, now } from '@/lib/clock';
import type { Executor } from '@/lib/db';
import { incrementCounter, readCounter } from '@/lib/rate-limit';
import type { ChallengePurpose, SendProblem } from './contract';
import { RESEND_COOLDOWN_SECONDS, SENDS_PER_PHONE_PER_HOUR, SENDS_PER_USER_PER_DAY } from './constants';
import { secondsUntil, waitWords } from './retry-words';

const HOUR = 3_600;
const DAY = 86_400;

export interface LimitRefusal {
  ok: false;
  problem: Extract<SendProblem, 'cooldown' | 'phone_limit' | 'user_limit' | 'ip_limit'>;
  message: string;
  retryAfterSeconds: number;
}

/** The rate-limit counter key of SMS codes sent from one IP (per hour). */
export const smsIpKey = (ip: string) => `mfa:sms:ip:${ip}`;

/**
 * Checks, in order, the 30-second resend cooldown of this session and purpose, the per-IP hourly cap,
 * 5 codes per number per rolling hour and 10 per user per rolling day (sms_messages rows of purpose
 * mfa_code that were not refused). Run it inside the transaction that records the send.
 */
export async function checkSendLimits(
  db: Executor,
  input: { userId: string; sessionId: string; purpose: ChallengePurpose; to: string; ip: string; ipLimit: number },
): Promise<LimitRefusal | undefined> {
  const at = now();
  const c = schema.mfaChallenges;
  const m = schema.smsMessages;
  const [last] = await db
    .select({ createdAt: c.createdAt })
    .from(c)
    .innerJoin(m, eq(m.challengeId, c.id))
    .where(
      and(
        eq(c.sessionId, input.sessionId),
        eq(c.purpose, input.purpose),
        ne(m.status, 'refused'),
        gt(c.createdAt, addSeconds(at, -RESEND_COOLDOWN_SECONDS)),
      ),
    )
    .orderBy(desc(c.createdAt))
    .limit(1);
  if (last) {
    const wait = secondsUntil(addSeconds(last.createdAt, RESEND_COOLDOWN_SECONDS), at);
    return refusal('cooldown', `A code was just sent. You can ask for another one in ${waitWords(wait)}.`, wait);
  }

  const ip = await readCounter(smsIpKey(input.ip), HOUR, db);
  if (ip.count >= input.ipLimit) {
    return refusal(
      'ip_limit',
      `Too many codes were sent from your network in the last hour. Try again in ${waitWords(ip.retryAfterSeconds)}.`,
      ip.retryAfterSeconds,
    );
  }

  const sent = (where: ReturnType<typeof and>, limit: number) =>
    db
      .select({ createdAt: m.createdAt })
      .from(m)
      .where(and(where, eq(m.purpose, 'mfa_code'), ne(m.status, 'refused')))
      .orderBy(desc(m.createdAt))
      .limit(limit);

  const toPhone = await sent(and(eq(m.toE164, input.to), gt(m.createdAt, addSeconds(at, -HOUR))), SENDS_PER_PHONE_PER_HOUR);
  if (toPhone.length >= SENDS_PER_PHONE_PER_HOUR) {
    const wait = secondsUntil(addSeconds(toPhone.at(-1)!.createdAt, HOUR), at);
    return refusal(
      'phone_limit',
      `Too many codes were sent to this number: at most ${SENDS_PER_PHONE_PER_HOUR} an hour. Try again in ${waitWords(wait)}.`,
      wait,
    );
  }
  const toUser = await sent(and(eq(m.userId, input.userId), gt(m.createdAt, addSeconds(at, -DAY))), SENDS_PER_USER_PER_DAY);
  if (toUser.length >= SENDS_PER_USER_PER_DAY) {
    const wait = secondsUntil(addSeconds(toUser.at(-1)!.createdAt, DAY), at);
    return refusal(
      'user_limit',
      `You have asked for too many codes today: at most ${SENDS_PER_USER_PER_DAY} a day. Try again in ${waitWords(wait)}.`,
      wait,
    );
  }
  return undefined;
}

/** Counts one send against the IP's hourly cap. */
export async function countIpSend(ip: string): Promise<void> {
  await incrementCounter(smsIpKey(ip), HOUR);
}

function refusal(problem: LimitRefusal['problem'], message: string, retryAfterSeconds: number): LimitRefusal {
  return { ok: false, problem, message, retryAfterSeconds };
}
