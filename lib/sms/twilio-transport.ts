import 'server-only';
import twilio from 'twilio';
import { assertSendableSms } from './assert-sendable-sms';
import { BaseUrlRequestClient } from './base-url-request-client';
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

/** Sends through Twilio's Messages API with the official SDK. */
export function createTwilioTransport(config: TwilioConfig): SmsTransport {
  const sender = config.messagingServiceSid
    ? { messagingServiceSid: config.messagingServiceSid }
    : config.from
      ? { from: config.from }
      : undefined;
  if (!sender) throw new Error('Twilio needs a sender: TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  const clientOptions = { timeout: TWILIO_TIMEOUT_MS };
  const httpClient = config.apiBaseUrl
    ? new BaseUrlRequestClient(config.apiBaseUrl, clientOptions)
    : new twilio.RequestClient(clientOptions);
  const client = twilio(config.accountSid, config.authToken, { httpClient });
  return {
    kind: 'twilio',
    async send(msg) {
      assertSendableSms(msg);
      try {
        const message = await client.messages.create({
          to: msg.to,
          body: msg.body,
          ...sender,
          ...(msg.statusCallbackUrl ? { statusCallback: msg.statusCallbackUrl } : {}),
        });
        return { sid: message.sid, status: message.status };
      } catch (err) {
        throw toSmsSendError(err);
      }
    },
  };
}

/** Twilio's RestException keeps its code and status; anything else (network, timeout) becomes a plain failure. */
function toSmsSendError(err: unknown): SmsSendError {
  if (err instanceof SmsSendError) return err;
  if (err instanceof twilio.RestException) {
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
