import { eq, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { resetEmailTransport } from '@/lib/email';
import { resetEnvCache } from '@/lib/env';
import { parseMail, startSmtpSink, type ParsedMail, type SmtpSink, type SmtpSinkOptions } from '@/lib/testing/smtp-sink';

/* Test support for the account-email tests (invitations, password reset); not used by the app. */
/* eslint-disable no-restricted-syntax -- like lib/testing, it points SMTP_URL/MAIL_FROM at the test's sink. */

const saved = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };

function setMailEnv(vars: { SMTP_URL?: string; MAIL_FROM?: string }) {
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
  resetEmailTransport();
}

/** Starts a real SMTP server and points the app's email at it. */
export async function startMailSink(options?: SmtpSinkOptions): Promise<SmtpSink> {
  const sink = await startSmtpSink(options);
  setMailEnv({ SMTP_URL: sink.url, MAIL_FROM: 'Onramp <noreply@onramp.test>' });
  return sink;
}

/** Closes the sink and puts the environment back. */
export async function stopMailSink(sink: SmtpSink | undefined): Promise<void> {
  setMailEnv(saved);
  await sink?.close();
}

/** The messages the sink received for one address, decoded, oldest first. */
export function mailsTo(sink: SmtpSink, address: string): ParsedMail[] {
  const wanted = address.toLowerCase();
  return sink.messages.filter((m) => m.envelopeTo.some((to) => to.toLowerCase() === wanted)).map((m) => parseMail(m.raw));
}

/** The token at the end of the first `<APP_URL>/<path>/<token>` link in a text. */
export function tokenFrom(text: string | undefined, path: string): string {
  const match = new RegExp(`http://localhost:3000/${path}/([A-Za-z0-9_-]{43})`).exec(text ?? '');
  if (!match) throw new Error(`no /${path}/ link in:\n${text}`);
  return match[1]!;
}

/** Sets the organisation name and invitation lifetime (creating the settings row if needed). */
export async function useSettings(values: { organisationName?: string; invitationLifetimeDays?: number }): Promise<void> {
  await getDb().insert(schema.accountSettings).values({ id: 1 }).onConflictDoNothing();
  await getDb().update(schema.accountSettings).set(values).where(eq(schema.accountSettings.id, 1));
}

/** The events about one user, oldest first, as "Type/Sub Type". */
export async function eventsOf(userId: string) {
  const e = schema.events;
  return getDb().select().from(e).where(eq(e.subjectUserId, userId)).orderBy(e.id);
}

export const kindsOf = (events: { type: string; subType: string }[]) => events.map((e) => `${e.type}/${e.subType}`);

/** Every row of the tables a token could leak into, as one string. */
export async function dumpSecretsTables(): Promise<string> {
  const tables = ['single_use_tokens', 'events', 'users', 'outbox', 'rate_limits'];
  const rows = [];
  for (const table of tables) rows.push(await getDb().execute(sql.raw(`select * from ${table}`)));
  return JSON.stringify(rows);
}
