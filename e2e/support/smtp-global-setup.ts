import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server for the e2e servers (SMTP_URL=smtp://127.0.0.1:2525, see settings.ts). The
 * workers run in other processes, so each accepted message is written to MAIL_DIR as JSON
 * ({ envelopeTo, raw }); e2e/support/mail.ts reads them back.
 */
export const SMTP_PORT = 2525;
export const MAIL_DIR = 'test-results/e2e-mail';

export default async function startSmtpForE2e(): Promise<() => Promise<void>> {
  rmSync(MAIL_DIR, { recursive: true, force: true });
  mkdirSync(MAIL_DIR, { recursive: true });
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const file = path.join(MAIL_DIR, `${String(++received).padStart(5, '0')}-${Date.now()}.json`);
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        writeFileSync(file, JSON.stringify({ envelopeTo, raw: Buffer.concat(chunks).toString('utf8') }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(SMTP_PORT, '127.0.0.1', () => resolve());
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
