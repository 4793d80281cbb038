import 'server-only';
import { getEnv } from '@/lib/env';
import { errorFields, log } from '@/lib/log';
import { recordDeliveryStatus } from './record-delivery-status';
import { loadTwilio } from './twilio-transport';

/** Where Twilio posts delivery status (the statusCallback of every message sent through Twilio). */
export const TWILIO_STATUS_PATH = '/api/webhooks/twilio/status';
const MAX_BODY_BYTES = 16_384;

const empty = (status: number) => new Response(null, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * Handles POST /api/webhooks/twilio/status: 404 when Twilio isn't configured; 403 unless
 * X-Twilio-Signature is valid for APP_URL + path (+ query) — the URL Twilio was given, never the Host
 * header — and the form parameters; then records the status (unknown sids are accepted and ignored)
 * and answers 204.
 */
export async function handleTwilioStatusCallback(request: Request): Promise<Response> {
  const env = getEnv();
  if (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN) return empty(404);
  const signature = request.headers.get('x-twilio-signature');
  if (!signature) return empty(403);
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) return empty(413);
  const params = Object.fromEntries(new URLSearchParams(body));
  const url = `${env.APP_URL}${TWILIO_STATUS_PATH}${new URL(request.url).search}`;
  if (!(await loadTwilio()).validateRequest(env.TWILIO_AUTH_TOKEN, signature, url, params)) {
    log.warn('twilio status callback refused: bad signature', { messageSid: params.MessageSid ?? null });
    return empty(403);
  }
  if (params.AccountSid && params.AccountSid !== env.TWILIO_ACCOUNT_SID) return empty(403);
  const sid = params.MessageSid ?? params.SmsSid;
  const status = params.MessageStatus ?? params.SmsStatus;
  if (!sid || !status) return empty(204);
  const parsedCode = Number.parseInt(params.ErrorCode ?? '', 10);
  try {
    await recordDeliveryStatus({
      sid,
      status,
      errorCode: Number.isFinite(parsedCode) ? parsedCode : null,
      errorMessage: params.ErrorMessage?.slice(0, 500) || null,
    });
  } catch (error) {
    log.error('twilio status callback not recorded', { messageSid: sid, ...errorFields(error) });
    return empty(500);
  }
  return empty(204);
}
