import { handleTwilioStatusCallback } from '@/lib/sms';

export const dynamic = 'force-dynamic';

/** Twilio's delivery status callback: public, authenticated by X-Twilio-Signature (see lib/sms/status-callback). */
export function POST(request: Request): Promise<Response> {
  return handleTwilioStatusCallback(request);
}
