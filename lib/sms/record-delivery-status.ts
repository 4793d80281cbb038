import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent } from '@/lib/events';
import { maskPhone } from '@/lib/phone';
import { describeTwilioError } from './twilio-errors';

type SmsStatus = (typeof schema.smsStatus.enumValues)[number];

/** How far along a message is; a status callback never moves a message backwards. Final states share a rank. */
const RANK: Partial<Record<SmsStatus, number>> = { accepted: 1, queued: 2, sending: 3, sent: 4, delivered: 5, undelivered: 5, failed: 5 };

export interface DeliveryStatusUpdate {
  sid: string;
  /** Twilio's MessageStatus. */
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
}

export type DeliveryStatusOutcome = 'updated' | 'unknown_sid' | 'ignored';

/** The actor of changes Twilio reports. */
const TWILIO_ACTOR = { type: 'system', label: 'Twilio' } as const;

/**
 * Applies one Twilio status callback to the sms_messages row with that sid, with an
 * EVENT.smsDeliveryStatus in the same transaction. Unknown sids, statuses Onramp doesn't track and
 * statuses that would move the message backwards (sent after delivered) are ignored.
 */
export async function recordDeliveryStatus(update: DeliveryStatusUpdate): Promise<DeliveryStatusOutcome> {
  const next = update.status as SmsStatus;
  const nextRank = RANK[next];
  const t = schema.smsMessages;
  return getDb().transaction(async (tx) => {
    const [row] = await tx.select().from(t).where(eq(t.twilioSid, update.sid)).for('update');
    if (!row) return 'unknown_sid';
    const currentRank = RANK[row.status];
    if (nextRank === undefined || currentRank === undefined || nextRank <= currentRank) return 'ignored';
    const errorCode = update.errorCode ?? null;
    await tx
      .update(t)
      .set({ status: next, errorCode: errorCode ?? row.errorCode, errorMessage: update.errorMessage ?? row.errorMessage, updatedAt: now() })
      .where(eq(t.id, row.id));
    await writeEvent(tx, {
      kind: EVENT.smsDeliveryStatus,
      actor: TWILIO_ACTOR,
      outcome: next === 'undelivered' || next === 'failed' ? 'failure' : 'success',
      subjectUserId: row.userId,
      details: {
        smsMessageId: row.id,
        purpose: row.purpose,
        maskedPhone: maskPhone(row.toE164),
        status: next,
        previousStatus: row.status,
        errorCode,
        problem: describeTwilioError(errorCode),
      },
    });
    return 'updated';
  });
}
