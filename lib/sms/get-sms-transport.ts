import 'server-only';
import { getEnv } from '@/lib/env';
import { createDevSmsTransport } from './dev-sms-transport';
import { createTwilioTransport } from './twilio-transport';
import type { SmsTransport } from './types';

let cached: SmsTransport | undefined;

/** Twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else the dev outbox. Built once per process. */
export function getSmsTransport(): SmsTransport {
  if (!cached) {
    const env = getEnv();
    cached =
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
        ? createTwilioTransport({
            accountSid: env.TWILIO_ACCOUNT_SID,
            authToken: env.TWILIO_AUTH_TOKEN,
            from: env.TWILIO_FROM,
            messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
            apiBaseUrl: env.TWILIO_API_BASE_URL,
          })
        : createDevSmsTransport();
  }
  return cached;
}

/** Tests change the environment between cases; this forgets the built transport. */
export function resetSmsTransport(): void {
  cached = undefined;
}
