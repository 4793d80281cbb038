import 'server-only';
export type { SmsMessage, SmsTransport } from './types';
export { SmsSendError } from './sms-send-error';
export { createTwilioTransport, type TwilioConfig } from './twilio-transport';
export { createDevSmsTransport } from './dev-sms-transport';
export { getSmsTransport, resetSmsTransport } from './get-sms-transport';
export { sendSms } from './send-sms';
