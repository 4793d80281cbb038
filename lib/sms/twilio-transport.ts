import 'server-only';
import type twilio from 'twilio';
import { assertSendableSms } from './assert-sendable-sms';
import { createBaseUrlRequestClient } from './base-url-request-client';
import { SmsSendError } from './sms-send-error';
import type { SmsTransport } from './types';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** Sender number; ignored when messagingServiceSid is set. */
  from?: string;
  messagingServiceSid?: string;
  /** Send to this Twilio-compatible endpoint instead of https://api.twilio.com (tests, proxies). */
  apiBaseUrl?: string;
}

const TWILIO_TIMEOUT_MS = 15_000;

/** The Twilio SDK, imported on first use: a process that never sends an SMS (a directory sync, the CLI) doesn't carry it. */
export async function loadTwilio(): Promise<typeof twilio> {
  return (await import('twilio')).default;
}

/** Sends through Twilio's Messages API with the official SDK. */
export function createTwilioTransport(config: TwilioConfig): SmsTransport {
  const sender = config.messagingServiceSid
    ? { messagingServiceSid: config.messagingServiceSid }
    : config.from
      ? { from: config.from }
      : undefined;
  if (!sender) throw new Error('Twilio needs a sender: TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  const clientOptions = { timeout: TWILIO_TIMEOUT_MS };
  let client: ReturnType<typeof twilio> | undefined;
  return {
    kind: 'twilio',
    async send(msg) {
      assertSendableSms(msg);
      const sdk = await loadTwilio();
      try {
        client ??= sdk(config.accountSid, config.authToken, {
          httpClient: config.apiBaseUrl ? createBaseUrlRequestClient(sdk, config.apiBaseUrl, clientOptions) : new sdk.RequestClient(clientOptions),
        });
        const message = await client.messages.create({
          to: msg.to,
          body: msg.body,
          ...sender,
          ...(msg.statusCallbackUrl ? { statusCallback: msg.statusCallbackUrl } : {}),
        });
        return { sid: message.sid, status: message.status };
      } catch (err) {
        throw toSmsSendError(err, sdk);
      }
    },
  };
}

/** Twilio's RestException keeps its code and status; anything else (network, timeout) becomes a plain failure. */
function toSmsSendError(err: unknown, sdk: typeof twilio): SmsSendError {
  if (err instanceof SmsSendError) return err;
  if (err instanceof sdk.RestException) {
    return new SmsSendError(err.message || `Twilio answered HTTP ${err.status}`, {
      code: err.code,
      status: err.status,
      cause: err,
    });
  }
  // No cause: an HTTP client error carries the request config, Authorization header included.
  const reason = err instanceof Error ? err.message : String(err);
  return new SmsSendError(`Twilio could not be reached: ${reason}`);
}
