import 'server-only';

/**
 * Every failure to send an SMS: refused locally (bad number) or by Twilio (code = Twilio error code,
 * e.g. 21211 invalid number, 21408 region not enabled, 21610 unsubscribed, 20429 rate limited).
 */
export class SmsSendError extends Error {
  /** Twilio's error code, when Twilio answered with one. */
  readonly code: number | undefined;
  /** The HTTP status of Twilio's answer, when there was one. */
  readonly status: number | undefined;

  constructor(message: string, details: { code?: number; status?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SmsSendError';
    this.code = details.code;
    this.status = details.status;
  }
}
