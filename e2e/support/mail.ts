import { expect } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMail, type ParsedMail } from '../../lib/testing/smtp-sink';
import { MAIL_DIR } from './smtp-global-setup';

/** The messages the e2e SMTP server accepted for an address, oldest first. */
function mailsTo(address: string): ParsedMail[] {
  const wanted = address.toLowerCase();
  let files: string[] = [];
  try {
    files = readdirSync(MAIL_DIR).sort();
  } catch {
    return [];
  }
  return files
    .map((f) => JSON.parse(readFileSync(path.join(MAIL_DIR, f), 'utf8')) as { envelopeTo: string[]; raw: string })
    .filter((m) => m.envelopeTo.includes(wanted))
    .map((m) => parseMail(m.raw));
}

/** Waits until the `count`-th message to an address has arrived (it is sent after the response). */
export async function waitForMail(address: string, count = 1): Promise<ParsedMail> {
  await expect.poll(() => mailsTo(address).length, { message: `email number ${count} to ${address}`, timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return mailsTo(address)[count - 1]!;
}

/** The path of the first link to `<origin>/<prefix>/<token>` in a message's text. */
export function linkPath(mail: ParsedMail, prefix: string): string {
  const match = new RegExp(`https?://[^/\\s]+(/${prefix}/[A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no /${prefix}/ link in:\n${mail.text}`);
  return match[1]!;
}

/** How many messages an address has received so far. */
export function countMailsTo(address: string): number {
  return mailsTo(address).length;
}
