import 'server-only';
export type { EmailMessage, EmailTransport } from './types';
export { EmailSendError, InvalidEmailMessageError } from './email-errors';
export { createSmtpTransport, SMTP_TIMEOUTS } from './smtp-transport';
export { createDevEmailTransport } from './dev-email-transport';
export { getEmailTransport, resetEmailTransport } from './get-email-transport';
export { sendEmail } from './send-email';
