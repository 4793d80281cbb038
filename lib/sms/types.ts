import 'server-only';

export interface SmsMessage {
  /** E.164, e.g. +14155550123. */
  to: string;
  body: string;
  /** Where Twilio posts delivery status updates. */
  statusCallbackUrl?: string;
}

export interface SmsTransport {
  readonly kind: 'twilio' | 'dev';
  send(msg: SmsMessage): Promise<{ sid: string; status: string }>;
}
