import { readFileSync } from 'node:fs';
import type { Executor } from '@/db/client';
import { isSecretFieldName } from '@/lib/events/secret-fields';
import { collectKnownSecrets, findSecretPatterns, stringsIn, type KnownSecrets, type ScanOptions, type SecretRule } from './scan-events-for-secrets';

/*
 * Test harness: proves no secret reached the servers' logs. Every line of every log file is read; a
 * JSON line (pino, or server.mjs's console) is scanned field by field, any other line as text, with
 * the rules of the event scan (scan-events-for-secrets.ts): known secrets (passwords typed, codes and
 * tokens from the emails and SMS sent, registration codes, hashes, the environment's secrets), values
 * shaped like secrets (registration codes, 6-digit codes, long random runs) and fields named like
 * secrets whose value is not redacted.
 * One line is exempt: the first-admin setup link, which server start prints on purpose (README).
 */

export interface LogFinding {
  file: string;
  line: number;
  field: string;
  rule: SecretRule;
  excerpt: string;
  source?: string;
}

const SETUP_LINK_LINE = /No admin exists yet\. Create the first one within the hour at/;
const REDACTED = '[redacted]';
const mask = (s: string) => `${s.slice(0, 2)}… (${s.length} chars)`;

/** Findings in one log's text. */
export function scanLogText(file: string, text: string, known: KnownSecrets): LogFinding[] {
  const findings: LogFinding[] = [];
  text.split('\n').forEach((raw, index) => {
    if (!raw.trim() || SETUP_LINK_LINE.test(raw)) return;
    const base = { file, line: index + 1 };
    let parsed: unknown;
    try {
      parsed = raw.trimStart().startsWith('{') ? JSON.parse(raw) : undefined;
    } catch {
      parsed = undefined;
    }
    const strings: [string, string][] = parsed && typeof parsed === 'object' ? [...stringsIn(parsed, 'line')] : [['text', raw]];
    if (parsed && typeof parsed === 'object') {
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        if (isSecretFieldName(key) && value !== REDACTED) findings.push({ ...base, field: key, rule: 'secret-field-name', excerpt: key });
      }
    }
    for (const [field, value] of strings) {
      if (field.endsWith('(key)')) continue;
      for (const hit of known.find(value)) findings.push({ ...base, field, rule: 'known-secret', excerpt: mask(hit.value), source: hit.source });
      for (const hit of findSecretPatterns(value)) findings.push({ ...base, field, rule: hit.rule, excerpt: mask(hit.value) });
    }
  });
  const unique = new Map(findings.map((f) => [`${f.file}|${f.line}|${f.field}|${f.rule}|${f.excerpt}`, f]));
  return [...unique.values()];
}

/** Scans log files with every secret the database and environment know plus the caller's. */
export async function scanLogsForSecrets(db: Executor, files: readonly string[], options: ScanOptions = {}): Promise<LogFinding[]> {
  const known = await collectKnownSecrets(db, options);
  return files.flatMap((file) => {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    return scanLogText(file, text, known);
  });
}

const REPORTED = 40;

export function describeLogFindings(findings: LogFinding[]): string {
  const lines = findings.slice(0, REPORTED).map((f) => `- ${f.file}:${f.line} ${f.field}: ${f.rule}${f.source ? ` [${f.source}]` : ''} ${f.excerpt}`);
  if (findings.length > REPORTED) lines.push(`- … and ${findings.length - REPORTED} more`);
  return `${findings.length} secret-looking value(s) in the server logs:\n${lines.join('\n')}`;
}
