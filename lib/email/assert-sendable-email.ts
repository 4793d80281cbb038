import 'server-only';
import { z } from 'zod';
import { InvalidEmailMessageError } from './email-errors';
import type { EmailMessage } from './types';

const emailAddress = z.email();

/** Refuses header values that could smuggle extra headers (CR/LF). */
export function assertNoLineBreak(field: string, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new InvalidEmailMessageError(`Refusing to send email: ${field} contains a line break`);
  }
}

/** Checks a message before any transport touches it. */
export function assertSendableEmail(msg: EmailMessage): void {
  assertNoLineBreak('to', msg.to);
  assertNoLineBreak('subject', msg.subject);
  if (!emailAddress.safeParse(msg.to).success) {
    throw new InvalidEmailMessageError('Refusing to send email: to is not a valid email address');
  }
}
