import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { listOutbox } from '@/lib/outbox';
import { parseMail, startSmtpSink, type SmtpSink } from '@/lib/testing/smtp-sink';
import { EmailSendError, getEmailTransport, InvalidEmailMessageError, resetEmailTransport, sendEmail } from '.';

const savedEnv = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };

function useEnv(vars: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
  resetEmailTransport();
}

const useSmtp = (sink: SmtpSink) => useEnv({ SMTP_URL: sink.url, MAIL_FROM: 'Onramp <noreply@onramp.test>' });

const longLink = `https://vpn.example.com/enroll/${'x'.repeat(120)}?step=verify`;
const message = {
  to: 'alice@example.com',
  subject: 'Your sign-in link — Onramp',
  text: `Hello Alice,\nyour code is 123456.\n${longLink}`,
  html: `<p>Hello <b>Alice</b>, your code is 123456.</p><p><a href="${longLink}">Sign in</a></p>`,
};

afterAll(() => useEnv(savedEnv));

describe('sendEmail over SMTP', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipient: (a) => (a.startsWith('nobody@') ? '5.1.1 No such user here' : undefined) });
  });
  afterAll(() => sink.close());

  it('delivers To, Subject and both bodies to the SMTP server', async () => {
    useSmtp(sink);
    expect(getEmailTransport().kind).toBe('smtp');
    const { messageId } = await sendEmail(message);
    const [received] = await sink.waitForMessages(1);
    expect(received!.envelopeTo).toEqual(['alice@example.com']);
    expect(received!.envelopeFrom).toBe('noreply@onramp.test');
    const mail = parseMail(received!.raw);
    expect(mail.header('to')).toBe('alice@example.com');
    expect(mail.header('from')).toBe('Onramp <noreply@onramp.test>');
    expect(mail.header('subject')).toBe(message.subject);
    expect(mail.header('message-id')).toBe(messageId);
    expect(mail.text).toBe(message.text);
    expect(mail.html).toBe(message.html);
  });

  it('surfaces a recipient the server refuses as a clear EmailSendError', async () => {
    useSmtp(sink);
    const before = sink.messages.length;
    const attempt = sendEmail({ ...message, to: 'nobody@example.com' });
    await expect(attempt).rejects.toBeInstanceOf(EmailSendError);
    await expect(attempt).rejects.toThrow(/^Email to nobody@example\.com was not sent: .*550.*No such user here/);
    await expect(attempt).rejects.toMatchObject({ responseCode: 550 });
    expect(sink.messages.length).toBe(before);
  });

  it.each([
    ['a CR/LF in the subject', { subject: 'Hello\r\nBcc: victim@example.com' }, /subject contains a line break/],
    ['a LF in the subject', { subject: 'Hello\nX-Injected: 1' }, /subject contains a line break/],
    ['a CR/LF in the recipient', { to: 'alice@example.com\r\nBcc: victim@example.com' }, /to contains a line break/],
    ['a recipient that is not an address', { to: 'Alice <alice@example.com>' }, /to is not a valid email address/],
  ])('refuses %s before talking to the server', async (_name, change, reason) => {
    useSmtp(sink);
    const before = sink.messages.length;
    const attempt = sendEmail({ ...message, ...change });
    await expect(attempt).rejects.toBeInstanceOf(InvalidEmailMessageError);
    await expect(attempt).rejects.toThrow(reason);
    expect(sink.messages.length).toBe(before);
  });

  it('surfaces an unreachable server as an EmailSendError', async () => {
    const gone = await startSmtpSink();
    await gone.close();
    useSmtp(gone);
    await expect(sendEmail(message)).rejects.toThrow(/^Email to alice@example\.com was not sent: .*ECONNREFUSED/);
  });
});

describe('sendEmail without SMTP (dev outbox)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stores the message in the outbox and logs one line', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    useEnv({ SMTP_URL: undefined, MAIL_FROM: undefined });
    expect(getEmailTransport().kind).toBe('dev');
    const { messageId } = await sendEmail(message);
    const [stored] = await listOutbox({ channel: 'email' });
    expect(stored).toMatchObject({
      id: messageId,
      channel: 'email',
      recipient: 'alice@example.com',
      subject: message.subject,
      bodyText: message.text,
      bodyHtml: message.html,
    });
    expect(stored!.createdAt).toBeInstanceOf(Date);
    expect(info.mock.calls).toEqual([[`[outbox] email to alice@example.com: ${message.subject}`]]);
  });

  it('refuses header injection in dev too', async () => {
    useEnv({ SMTP_URL: undefined, MAIL_FROM: undefined });
    await expect(sendEmail({ ...message, subject: 'a\r\nb' })).rejects.toBeInstanceOf(InvalidEmailMessageError);
  });
});
