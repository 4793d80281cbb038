import 'server-only';
import { getSmsTransport } from './get-sms-transport';
import type { SmsMessage } from './types';

export function sendSms(msg: SmsMessage): Promise<{ sid: string; status: string }> {
  return getSmsTransport().send(msg);
}
