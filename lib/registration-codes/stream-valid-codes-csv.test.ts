import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { SYSTEM_ACTOR } from '@/lib/events';
import { ensureAccountSettings } from '@/lib/settings';
import { insertTestUser } from '@/lib/testing/factories';
import { generateCodes } from './generate-codes';
import { redeemCode } from './redeem-code';
import { revokeCode } from './revoke-code';
import { streamValidCodesCsv } from './stream-valid-codes-csv';
import { generateTestCode, insertManyTestUsers, TEST_CLIENT } from './testing';

const T0 = new Date('2030-05-06T10:00:15.000Z');
const HOUR_MS = 3_600_000;

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

/** A strict RFC 4180 parser: CRLF records, quoted fields with "" escapes; a bare quote or line break is an error. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') cell += text[++i];
      else quoted = false;
    } else if (ch === '"' && cell === '' && !wasQuoted) {
      quoted = wasQuoted = true;
    } else if (ch === ',') {
      record.push(cell);
      cell = '';
      wasQuoted = false;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      wasQuoted = false;
      i++;
    } else if (ch === '"' || ch === '\r' || ch === '\n' || wasQuoted) {
      throw new Error(`not RFC 4180: ${JSON.stringify(ch)} at ${i}`);
    } else {
      cell += ch;
    }
  }
  if (quoted || cell !== '' || record.length > 0) throw new Error('not RFC 4180: the last record does not end with CRLF');
  return records;
}

async function collect(): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  for await (const chunk of streamValidCodesCsv()) {
    text += chunk;
    chunks++;
  }
  return { text, chunks };
}

const HEADER = ['first_name', 'last_name', 'email', 'registration_code', 'expires_at'];

describe('streamValidCodesCsv', () => {
  it('the parser under test refuses malformed CSV', () => {
    expect(() => parseCsv('a,b"c\r\n')).toThrow();
    expect(() => parseCsv('a\nb\r\n')).toThrow();
    expect(() => parseCsv('"a"b\r\n')).toThrow();
    expect(() => parseCsv('a,b')).toThrow();
    expect(parseCsv('"a,""b""\r\nc",d\r\n')).toEqual([['a,"b"\r\nc', 'd']]);
  });

  it('exports each valid code once, quoted per RFC 4180, with formula-like cells neutralised', async () => {
    const people = [
      { firstName: '=HYPERLINK("x")', lastName: 'Smith, Jr.' },
      { firstName: 'Zoë "Zed"', lastName: 'Ångström-李 🚀' },
      { firstName: 'Multi\r\nLine', lastName: '+1 Plus' },
      { firstName: '-Minus', lastName: '@At' },
      { firstName: '\tTab', lastName: '\rReturn' },
    ];
    const expected = new Map<string, string[]>();
    for (const person of people) {
      const user = await insertTestUser(person);
      const { code, expiresAt } = await generateTestCode(user.id);
      expected.set(user.email, [person.firstName, person.lastName, user.email, code, expiresAt.toISOString()]);
    }

    const { text } = await collect();
    expect(text).toContain('"\'=HYPERLINK(""x"")","Smith, Jr."');
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(HEADER);
    expect(rows).toHaveLength(people.length);
    const neutral = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    for (const row of rows) {
      const want = expected.get(row[2]!)!;
      expect(row).toEqual([neutral(want[0]!), neutral(want[1]!), want[2], want[3], want[4]]);
      expect(row[3]).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    }
  });

  it('leaves out used, revoked, expired codes and codes of disabled users', async () => {
    const before = parseCsv((await collect()).text).length;
    const user = await insertTestUser({ firstName: 'Excluded' });
    const used = await generateTestCode(user.id);
    expect((await redeemCode({ code: used.code, device: { name: 'Mac', platform: 'macos' } }, TEST_CLIENT)).ok).toBe(true);
    await revokeCode((await generateTestCode(user.id)).id, SYSTEM_ACTOR, TEST_CLIENT);
    await ensureAccountSettings();
    await getDb().update(schema.accountSettings).set({ codeLifetimeValue: 1, codeLifetimeUnit: 'hours' }).where(eq(schema.accountSettings.id, 1));
    const shortLived = await generateTestCode(user.id);
    expect(shortLived.expiresAt).toEqual(new Date(T0.getTime() + HOUR_MS));
    const disabled = await insertTestUser({ firstName: 'Disabled' });
    await generateTestCode(disabled.id);
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, disabled.id));

    setClock(new Date(T0.getTime() + HOUR_MS - 1));
    const { text: withShortLived } = await collect();
    expect(withShortLived).toContain(shortLived.code);
    expect(parseCsv(withShortLived).length).toBe(before + 1);

    setClock(shortLived.expiresAt);
    const { text } = await collect();
    expect(parseCsv(text).length).toBe(before);
    expect(text).not.toContain('Excluded');
    expect(text).not.toContain('Disabled');
  });

  it('pages through more codes than one page, one chunk per page', async () => {
    const before = parseCsv((await collect()).text).length - 1;
    const ids = await insertManyTestUsers(2_100 - before);
    await generateCodes(ids, SYSTEM_ACTOR, TEST_CLIENT);
    const { text, chunks } = await collect();
    const rows = parseCsv(text).slice(1);
    expect(rows).toHaveLength(2_100);
    expect(chunks).toBe(1 + 3); // the header, then pages of 1,000, 1,000 and 100
    expect(new Set(rows.map((r) => r[3])).size).toBe(2_100);
  });
});
