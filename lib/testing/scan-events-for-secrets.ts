import { gt, sql } from 'drizzle-orm';
import { rowsOf, schema, type Executor } from '@/db/client';
import { decryptBindSecret } from '@/lib/directory/bind-secret';
import { decryptClientSecret } from '@/lib/sso/client-secret';
import { getEnv } from '@/lib/env';
import { findSecretFields } from '@/lib/events/secret-fields';
import { formatCode } from '@/lib/registration-codes/code-format';
import { decryptCode } from '@/lib/registration-codes/code-secrets';

/*
 * Test harness: proves no secret reached the audit log. Reads every stored event (every column,
 * details included) and reports:
 * 1. detail fields named like a secret (lib/events/secret-fields.ts);
 * 2. exact secret values the database knows: every registration code (decrypted), the directory bind
 *    password and the SSO client secret (decrypted), every hash and ciphertext at rest, every token or code in the dev outbox's
 *    email and SMS bodies (and in message bodies the caller passes, e.g. the e2e SMTP sink's), the
 *    environment's own secrets, and the known values passed in (test passwords);
 * 3. values that look like secrets: a registration-code-shaped token, a standalone 6-digit string, a
 *    long base64/base64url/hex run; except UUIDs, Twilio SIDs, PEM certificates and timestamps, which
 *    look like that but are not secret, and digit groups in email addresses and typed phone numbers.
 */

export type SecretRule = 'secret-field-name' | 'known-secret' | 'registration-code-shape' | 'six-digit-code' | 'long-random-run';

export interface SecretFinding {
  eventId: number;
  /** "Type · Sub Type" of the event. */
  kind: string;
  /** The column, or the path inside details (details.changes.email.after). */
  field: string;
  rule: SecretRule;
  /** What matched, masked (the first two characters and the length). */
  excerpt: string;
  /** For known secrets: where the value comes from (registration code, outbox sms, password…). */
  source?: string;
}

export interface ScanOptions {
  /** Extra secrets to look for exactly, e.g. the passwords the tests typed. */
  knownSecrets?: Iterable<string>;
  /** Bodies of messages sent outside the dev outbox (an SMTP sink): their tokens and codes are secrets too. */
  messageBodies?: Iterable<string>;
}

/** Values that look like secrets but are not: removed before the pattern rules run (never before the known-secret rule). */
const ALLOWED = [
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, // UUIDs (row ids)
  /\b(?:SM|MM|AC|MG)[0-9a-f]{32}\b/g, // Twilio message, account and messaging-service SIDs
  /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, // public certificates (directory CA)
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2})?)?/g, // timestamps (microseconds look like 6 digits)
];

/** Email addresses: their digit groups ("nobody.123456@example.com") are not codes (long runs still count). */
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/g;

const URLSAFE_RUN = /[A-Za-z0-9_-]+/g;
const BASE64_RUN = /[A-Za-z0-9+/]+={0,2}/g;
const SIX_DIGITS = /(?<![A-Za-z0-9])\d{6}(?![A-Za-z0-9])/g;
const CODE_SHAPE = /(?<![A-Za-z0-9-])[2-9A-HJKMNP-Z]+(?:-[2-9A-HJKMNP-Z]+)*(?![A-Za-z0-9-])/g;
const LONG_RUN = 32;
/** A '/'-joined run that is a path (lowercase words), not standard base64. */
const PATH_LIKE = /^[a-z0-9]+(?:\/[a-z0-9]*)+$/;
/** A whole value that is a phone number as typed ("+44 7400 123456"): its digit groups are not codes. */
const PHONE_LIKE = /^\+?[\d\s().-]{7,20}$/;

const hasDigitAndLetter = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);
const mask = (s: string) => `${s.slice(0, 2)}… (${s.length} chars)`;

/** Both tokenisations: base64url runs and standard base64 runs. */
function runsOf(text: string): string[] {
  return [...new Set([...(text.match(URLSAFE_RUN) ?? []), ...(text.match(BASE64_RUN) ?? [])])];
}

function stripAllowed(text: string): string {
  return ALLOWED.reduce((t, re) => t.replace(re, ' '), text);
}

/** Secret-looking substrings of a text, by rule (the pattern rules 3). */
export function findSecretPatterns(text: string): { rule: SecretRule; value: string }[] {
  const clean = stripAllowed(text);
  const words = clean.replace(EMAIL, ' ');
  const out: { rule: SecretRule; value: string }[] = [];
  if (!PHONE_LIKE.test(clean.trim())) for (const m of words.match(SIX_DIGITS) ?? []) out.push({ rule: 'six-digit-code', value: m });
  for (const m of words.match(CODE_SHAPE) ?? []) {
    const compact = m.replace(/-/g, '');
    if (compact.length >= 10 && compact.length <= 24 && hasDigitAndLetter(compact)) out.push({ rule: 'registration-code-shape', value: m });
  }
  const long = runsOf(clean).filter((run) => {
    const core = run.replace(/=+$/, '');
    return core.length >= LONG_RUN && hasDigitAndLetter(core) && !PATH_LIKE.test(core);
  });
  // A token in a path is one run in each tokenisation ("activate/<token>" and "<token>"): report the smallest.
  for (const run of long) if (!long.some((other) => other !== run && run.includes(other))) out.push({ rule: 'long-random-run', value: run });
  return out;
}

/** Exact values to look for: single tokens by lookup, phrases (with spaces or punctuation) as substrings. */
export class KnownSecrets {
  private readonly tokens = new Map<string, string>();
  private readonly phrases = new Map<string, string>();

  /** Values shorter than `minLength` are ignored: a short stand-in (a test's 'unused' hash) is no secret. */
  add(value: string | null | undefined, source: string, minLength = 16): void {
    if (!value || value.length < minLength) return;
    const runs = runsOf(value);
    if (runs.includes(value)) {
      this.tokens.set(value, source);
      return;
    }
    if (value.length >= 8) this.phrases.set(value, source);
    for (const run of runs) if (run.length >= 20) this.tokens.set(run, source);
  }

  addFoundIn(text: string | null | undefined, source: string): void {
    for (const { value } of findSecretPatterns(text ?? '')) this.add(value, source, 6);
  }

  find(text: string): { value: string; source: string }[] {
    const hits = runsOf(text).flatMap((run) => (this.tokens.has(run) ? [{ value: run, source: this.tokens.get(run)! }] : []));
    for (const [phrase, source] of this.phrases) if (text.includes(phrase)) hits.push({ value: phrase, source });
    return hits;
  }
}

/** Values remembered by a test file for the scan that runs after it (lib/testing/setup-file.ts). */
const remembered = new Set<string>();

/** Adds values (e.g. the passwords a test typed) to the scan that runs after this test file. */
export function rememberSecretsForScan(...values: string[]): void {
  for (const v of values) remembered.add(v);
}

export function rememberedSecrets(): string[] {
  return [...remembered];
}

function tryDecrypt(decrypt: () => string): string | undefined {
  try {
    return decrypt();
  } catch {
    return undefined; // encrypted under another key (a test that changed ONRAMP_SECRET_KEY): can't know it
  }
}

async function selectAll<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** Every secret the database and the environment know, plus the caller's. */
export async function collectKnownSecrets(db: Executor, options: ScanOptions): Promise<KnownSecrets> {
  const known = new KnownSecrets();
  for (const v of options.knownSecrets ?? []) known.add(v, 'known value', 8);
  const env = getEnv();
  known.add(env.AUTH_SECRET, 'AUTH_SECRET');
  known.add(env.ONRAMP_SECRET_KEY.toString('hex'), 'ONRAMP_SECRET_KEY');
  known.add(env.ONRAMP_SECRET_KEY.toString('base64'), 'ONRAMP_SECRET_KEY');
  known.add(env.TWILIO_AUTH_TOKEN, 'TWILIO_AUTH_TOKEN');
  known.add(env.SMTP_URL ? decodeURIComponent(new URL(env.SMTP_URL).password) : null, 'SMTP password');

  const codes = await db.select({ userId: schema.registrationCodes.userId, ciphertext: schema.registrationCodes.ciphertext, lookup: schema.registrationCodes.lookup }).from(schema.registrationCodes);
  for (const c of codes) {
    const code = tryDecrypt(() => decryptCode(c.ciphertext, c.userId));
    for (const form of code ? [code, formatCode(code)] : []) {
      known.add(form, 'registration code', 10);
      known.add(form.toLowerCase(), 'registration code', 10);
    }
    known.add(c.ciphertext, 'registration code ciphertext');
    known.add(c.lookup, 'registration code lookup');
  }
  const [directory] = await db.select({ bind: schema.directorySettings.bindSecretEncrypted }).from(schema.directorySettings);
  if (directory?.bind) {
    known.add(tryDecrypt(() => decryptBindSecret(directory.bind!)), 'directory bind password');
    known.add(directory.bind, 'directory bind password ciphertext');
  }
  const [sso] = await db.select({ secret: schema.ssoSettings.clientSecretEncrypted }).from(schema.ssoSettings);
  if (sso?.secret) {
    known.add(tryDecrypt(() => decryptClientSecret(sso.secret!)), 'SSO client secret');
    known.add(sso.secret, 'SSO client secret ciphertext');
  }
  const hashes = await selectAll<{ source: string; value: string }>(
    db,
    sql`select 'user password hash' as source, password_hash as value from users where password_hash is not null
        union all select 'admin password hash', password_hash from admins
        union all select 'single-use token hash', token_hash from single_use_tokens
        union all select 'device credential hash', credential_hash from devices
        union all select 'MFA code hash', code_hash from mfa_challenges
        union all select 'trusted browser token hash', token_hash from trusted_browsers`,
  );
  for (const h of hashes) known.add(h.value, h.source);

  const outbox = await db.select().from(schema.outbox);
  for (const m of outbox) for (const body of [m.subject, m.bodyText, m.bodyHtml]) known.addFoundIn(body, `outbox ${m.channel} to ${m.recipient}`);
  for (const body of options.messageBodies ?? []) known.addFoundIn(body, 'message sent');
  return known;
}

/** Every string in a value with its path (object keys count as strings too). */
export function* stringsIn(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, `${path}[${i}]`);
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      yield [`${path} (key)`, k];
      yield* stringsIn(v, `${path}.${k}`);
    }
  }
}

type EventRow = Record<string, unknown> & { id: number | string; type: string; sub_type: string; details: unknown };

function scanEvent(row: EventRow, known: KnownSecrets): SecretFinding[] {
  const base = { eventId: Number(row.id), kind: `${row.type} · ${row.sub_type}` };
  const details = typeof row.details === 'string' ? JSON.parse(row.details) : row.details;
  const findings: SecretFinding[] = findSecretFields(details).map((p) => ({ ...base, field: `details.${p}`, rule: 'secret-field-name', excerpt: p }));
  for (const [column, value] of Object.entries({ ...row, details })) {
    for (const [field, text] of stringsIn(value, column)) {
      for (const hit of known.find(text)) findings.push({ ...base, field, rule: 'known-secret', excerpt: mask(hit.value), source: hit.source });
      for (const hit of findSecretPatterns(text)) findings.push({ ...base, field, rule: hit.rule, excerpt: mask(hit.value) });
    }
  }
  // Both tokenisations may report one value: keep each (field, rule, value) once.
  const unique = new Map(findings.map((f) => [`${f.field}|${f.rule}|${f.excerpt}`, f]));
  return [...unique.values()];
}

const BATCH = 2000;

/** Scans every stored event; returns the findings (none: the log is clean). */
export async function scanEventsForSecrets(db: Executor, options: ScanOptions = {}): Promise<SecretFinding[]> {
  const known = await collectKnownSecrets(db, options);
  const findings: SecretFinding[] = [];
  for (let last = 0; ; ) {
    const rows = await selectAll<EventRow>(db, sql`select * from ${schema.events} where ${gt(schema.events.id, last)} order by id limit ${BATCH}`);
    for (const row of rows) findings.push(...scanEvent(row, known));
    if (rows.length < BATCH) return findings;
    last = Number(rows.at(-1)!.id);
  }
}

const REPORTED = 40;

/** The findings as a readable report (the first 40; the rest counted). */
export function describeFindings(findings: SecretFinding[]): string {
  const lines = findings
    .slice(0, REPORTED)
    .map((f) => `- event #${f.eventId} (${f.kind}) ${f.field}: ${f.rule}${f.source ? ` [${f.source}]` : ''} ${f.excerpt}`);
  if (findings.length > REPORTED) lines.push(`- … and ${findings.length - REPORTED} more`);
  return `${findings.length} secret-looking value(s) in stored events:\n${lines.join('\n')}`;
}
