import 'server-only';
import { getEnv } from '@/lib/env';
import { createDevEmailTransport } from './dev-email-transport';
import { createSmtpTransport } from './smtp-transport';
import type { EmailTransport } from './types';

let cached: EmailTransport | undefined;

/** SMTP when SMTP_URL is set, else the dev outbox. Built once per process. */
export function getEmailTransport(): EmailTransport {
  if (!cached) {
    const env = getEnv();
    cached = env.SMTP_URL && env.MAIL_FROM ? createSmtpTransport(env.SMTP_URL, env.MAIL_FROM) : createDevEmailTransport();
  }
  return cached;
}

/** Tests change the environment between cases; this forgets the built transport. */
export function resetEmailTransport(): void {
  cached = undefined;
}
