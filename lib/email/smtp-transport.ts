import 'server-only';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { assertNoLineBreak, assertSendableEmail } from './assert-sendable-email';
import { EmailSendError } from './email-errors';
import type { EmailTransport } from './types';

/** Milliseconds; a hung mail server must not hold a request forever. */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** Sends through the SMTP server at smtpUrl (smtp:// or smtps://, credentials in the URL). */
export function createSmtpTransport(smtpUrl: string, from: string): EmailTransport {
  assertNoLineBreak('from', from);
  // An options object with `url`: nodemailer merges the URL with the timeouts (a bare URL string would drop them).
  const options: SMTPTransport.Options & { url: string } = {
    url: smtpUrl,
    ...SMTP_TIMEOUTS,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  // nodemailer is imported on first use: a process that never sends mail doesn't carry it.
  let mailer: Transporter<SMTPTransport.SentMessageInfo> | undefined;
  return {
    kind: 'smtp',
    async send(msg) {
      assertSendableEmail(msg);
      try {
        mailer ??= (await import('nodemailer')).default.createTransport(options);
        const info = await mailer.sendMail({ from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
        return { messageId: info.messageId };
      } catch (err) {
        throw new EmailSendError(msg.to, err);
      }
    },
  };
}
