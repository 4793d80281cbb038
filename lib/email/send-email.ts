import 'server-only';
import { getEmailTransport } from './get-email-transport';
import type { EmailMessage } from './types';

export function sendEmail(msg: EmailMessage): Promise<{ messageId: string }> {
  return getEmailTransport().send(msg);
}
