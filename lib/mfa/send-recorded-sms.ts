import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor, type Transaction } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { log } from '@/lib/log';
import { maskPhone } from '@/lib/phone';
import { describeTwilioError, getSmsTransport, sendSms, SmsSendError, TWILIO_STATUS_PATH, twilioErrorWords } from '@/lib/sms';

export type SmsStatus = (typeof schema.smsStatus.enumValues)[number];

export interface SmsRecordInput {
  userId: string;
  challengeId?: string | null;
  /** mfa_code, phone_changed_notice… */
  purpose: string;
  to: string;
  ip: string | null;
}

/** Inserts the sms_messages row of one attempt (before sending, so limits count it at once). */
export async function insertSmsRecord(
  db: Executor,
  input: SmsRecordInput,
  status: SmsStatus,
  error: { errorCode?: number | null; errorMessage?: string | null } = {},
): Promise<string> {
  const at = now();
  const [row] = await db
    .insert(schema.smsMessages)
    .values({
      userId: input.userId,
      challengeId: input.challengeId ?? null,
      purpose: input.purpose,
      toE164: input.to,
      transport: getSmsTransport().kind,
      status,
      errorCode: error.errorCode ?? null,
      errorMessage: error.errorMessage ?? null,
      ip: input.ip,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: schema.smsMessages.id });
  return row!.id;
}

const TWILIO_STATUSES = new Set<SmsStatus>(['accepted', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed']);

export type SendOutcome = { ok: true } | { ok: false; errorCode: number | null; message: string };

interface SendContext {
  actor: Actor;
  userAgent: string | null;
  /** Extra work in the transaction that records a successful send (events, invalidations). */
  onSent?: (tx: Transaction) => Promise<void>;
  /** Extra work in the transaction that records a failure. */
  onFailed?: (tx: Transaction) => Promise<void>;
}

/**
 * Sends the message of an inserted sms_messages row and records the outcome on that row in one
 * transaction: Twilio's sid and status (dev: 'dev_outbox'), or 'refused' with Twilio's error code
 * and an EVENT.smsSendFailed. Never throws for a send failure: returns it in plain words.
 */
export async function sendRecordedSms(smsId: string, record: SmsRecordInput, body: string, ctx: SendContext): Promise<SendOutcome> {
  const transport = getSmsTransport();
  const statusCallbackUrl = transport.kind === 'twilio' ? `${getEnv().APP_URL}${TWILIO_STATUS_PATH}` : undefined;
  const t = schema.smsMessages;
  try {
    const sent = await sendSms({ to: record.to, body, statusCallbackUrl });
    const status: SmsStatus =
      transport.kind === 'dev' ? 'dev_outbox' : TWILIO_STATUSES.has(sent.status as SmsStatus) ? (sent.status as SmsStatus) : 'queued';
    await getDb().transaction(async (tx) => {
      await tx
        .update(t)
        .set({ status, twilioSid: transport.kind === 'twilio' ? sent.sid : null, updatedAt: now() })
        .where(eq(t.id, smsId));
      await ctx.onSent?.(tx);
    });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof SmsSendError)) {
      // Never the error's message or stack: a database error repeats its parameters, and one of them
      // is the message body with the code.
      const e = error as { name?: string; code?: string; cause?: { code?: string } };
      log.error('sms send failed unexpectedly', { smsMessageId: smsId, name: e?.name ?? 'Error', errorCode: e?.cause?.code ?? e?.code ?? null });
    }
    const sendError = error instanceof SmsSendError ? error : new SmsSendError('The text message could not be sent');
    const errorCode = sendError.code ?? null;
    await getDb().transaction(async (tx) => {
      await tx
        .update(t)
        .set({ status: 'refused', errorCode, errorMessage: sendError.message.slice(0, 500), updatedAt: now() })
        .where(eq(t.id, smsId));
      await writeEvent(tx, {
        kind: EVENT.smsSendFailed,
        actor: ctx.actor,
        outcome: 'failure',
        subjectUserId: record.userId,
        ip: record.ip,
        userAgent: ctx.userAgent,
        details: {
          smsMessageId: smsId,
          purpose: record.purpose,
          maskedPhone: maskPhone(record.to),
          errorCode,
          problem: describeTwilioError(errorCode) ?? sendError.message,
        },
      });
      await ctx.onFailed?.(tx);
    });
    return { ok: false, errorCode, message: sendFailureMessage(errorCode) };
  }
}

/** What the user reads when a text could not be sent. */
export function sendFailureMessage(errorCode: number | null): string {
  if (errorCode === 20429) return 'The text message service is busy right now. Wait a minute and try again.';
  const words = twilioErrorWords(errorCode);
  if (words) return `The text message could not be sent: ${words} (Twilio error ${errorCode}). Check the number, or ask your administrator.`;
  if (errorCode != null) return `The text message could not be sent (Twilio error ${errorCode}). Try again later, or ask your administrator.`;
  return 'The text message service could not be reached. Try again in a few minutes.';
}
