import 'server-only';
import { and, asc, count, gt, ne, type SQL } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { PHONE_PROBLEMS, type PhoneStatus } from '@/lib/phone';
import { csvRow, streamedDownloadResponse } from '@/lib/download';
import type { Page } from './history';

export interface PhoneProblemDto {
  userId: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  source: 'manual' | 'directory';
  status: 'invited' | 'active' | 'disabled';
  dn: string | null;
  /** The directory attribute that gave the number (null for manual users). */
  attribute: string | null;
  raw: string | null;
  e164: string | null;
  phoneStatus: Exclude<PhoneStatus, 'ok'>;
  problem: string;
  /** What the admin should do, in plain words. */
  fix: string;
}

type Row = Pick<typeof schema.users.$inferSelect, 'id' | 'email' | 'username' | 'firstName' | 'lastName' | 'source' | 'status' | 'directoryDn' | 'phoneSource' | 'phoneRaw' | 'phoneE164' | 'phoneStatus'>;

function fixFor(row: Row): string {
  const where = row.source === 'directory' ? `in the directory${row.phoneSource ? ` (${row.phoneSource})` : ''}` : "on the user's page";
  switch (row.phoneStatus) {
    case 'missing_country_code':
      return row.source === 'directory'
        ? `Store the number with + and the country code ${where}, or set a default region in Directory Services.`
        : `Enter the number with + and the country code ${where}.`;
    case 'country_assumed':
      return `Check that ${row.phoneE164} is right (the country was assumed), or store it with + and the country code ${where}.`;
    case 'invalid':
      return `Correct the number ${where}: it is not valid for its country.`;
    default:
      return row.source === 'directory' ? 'Add a mobile number in the directory.' : "Add a phone number on the user's page.";
  }
}

function toDto(row: Row): PhoneProblemDto {
  const phoneStatus = row.phoneStatus as Exclude<PhoneStatus, 'ok'>;
  return {
    userId: row.id,
    email: row.email,
    username: row.username,
    firstName: row.firstName,
    lastName: row.lastName,
    source: row.source,
    status: row.status,
    dn: row.directoryDn,
    attribute: row.phoneSource,
    raw: row.phoneRaw,
    e164: row.phoneE164,
    phoneStatus,
    problem: PHONE_PROBLEMS[phoneStatus],
    fix: fixFor(row),
  };
}

const u = schema.users;
const columns = {
  id: u.id,
  email: u.email,
  username: u.username,
  firstName: u.firstName,
  lastName: u.lastName,
  source: u.source,
  status: u.status,
  directoryDn: u.directoryDn,
  phoneSource: u.phoneSource,
  phoneRaw: u.phoneRaw,
  phoneE164: u.phoneE164,
  phoneStatus: u.phoneStatus,
};
const notOk: SQL = ne(u.phoneStatus, 'ok');

/** Phone health: every user whose phone can't be used as is (any status but ok), `pageSize` per page. */
export async function listPhoneProblems(page = 1, pageSize = 50): Promise<Page<PhoneProblemDto>> {
  const p = Math.max(1, Math.floor(page) || 1);
  const [rows, [total]] = await Promise.all([
    getDb().select(columns).from(u).where(notOk).orderBy(asc(u.id)).limit(pageSize).offset((p - 1) * pageSize),
    getDb().select({ n: count() }).from(u).where(notOk),
  ]);
  return { items: rows.map(toDto), total: total?.n ?? 0, page: p, pageSize };
}

export const PHONE_PROBLEMS_CSV_HEADER = ['email', 'username', 'first_name', 'last_name', 'source', 'dn', 'attribute', 'raw_value', 'assumed_e164', 'problem', 'what_to_fix'] as const;

/** The phone-health list as CSV chunks (header, then one chunk per 1,000 users, keyset-paged: flat memory). */
export async function* streamPhoneProblemsCsv(): AsyncGenerator<string> {
  yield csvRow([...PHONE_PROBLEMS_CSV_HEADER]);
  let after: string | undefined;
  for (;;) {
    const rows = await getDb()
      .select(columns)
      .from(u)
      .where(and(notOk, after ? gt(u.id, after) : undefined))
      .orderBy(asc(u.id))
      .limit(1000);
    if (rows.length) {
      yield rows
        .map(toDto)
        .map((d) => csvRow([d.email, d.username, d.firstName, d.lastName, d.source, d.dn ?? '', d.attribute ?? '', d.raw ?? '', d.e164 ?? '', d.problem, d.fix]))
        .join('');
    }
    if (rows.length < 1000) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The phone-health CSV as a streamed download (the caller authorizes the request). */
export function phoneProblemsCsvResponse(): Response {
  return streamedDownloadResponse(streamPhoneProblemsCsv(), { stem: 'onramp-phone-health', format: 'csv', logLabel: 'phone health download failed' });
}
