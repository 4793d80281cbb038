import 'server-only';
import { SmsSendError } from './sms-send-error';
import type { SmsMessage } from './types';

const E164 = /^\+[1-9]\d{6,14}$/;

/** Checks a message before any transport touches it (and before any network call). */
export function assertSendableSms(msg: SmsMessage): void {
  if (!E164.test(msg.to)) {
    throw new SmsSendError('Refusing to send SMS: the number is not in E.164 format (like +14155550123)');
  }
  if (msg.body.trim() === '') {
    throw new SmsSendError('Refusing to send SMS: the body is empty');
  }
}
