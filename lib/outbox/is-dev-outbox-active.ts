import 'server-only';
import { getEmailTransport } from '@/lib/email/get-email-transport';
import { getSmsTransport } from '@/lib/sms/get-sms-transport';

/** True when email or SMS is not configured, so messages land in the outbox instead of being sent. */
export function isDevOutboxActive(): boolean {
  return getEmailTransport().kind === 'dev' || getSmsTransport().kind === 'dev';
}
