import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetClock, setClock } from '@/lib/clock';
import { insertTestUser } from '@/lib/testing/factories';
import { codesCsvFilename, validCodesCsvResponse } from './codes-csv-response';
import { streamValidCodesCsv } from './stream-valid-codes-csv';
import { generateTestCode } from './testing';

const T0 = new Date('2030-05-06T23:59:59.000Z');

beforeEach(() => setClock(T0));
afterEach(() => resetClock());

async function expectedCsv(): Promise<string> {
  let text = '';
  for await (const chunk of streamValidCodesCsv()) text += chunk;
  return text;
}

describe('the registration codes download', () => {
  it('is an uncached UTF-8 CSV attachment named after the UTC day, with a BOM before the stream of valid codes', async () => {
    const user = await insertTestUser({ firstName: '=HYPERLINK("x")', lastName: 'Łukasz' });
    const { code } = await generateTestCode(user.id);

    const response = validCodesCsvResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="onramp-registration-codes-2030-05-06.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');

    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).toBe(`\uFEFF${await expectedCsv()}`);
    expect(text).toContain(`"'=HYPERLINK(""x"")",Łukasz,${user.email},${code},`);
    expect(text.indexOf('\uFEFF')).toBe(0);
    expect(text.lastIndexOf('\uFEFF')).toBe(0);
  });

  it('names the file after the day in UTC', () => {
    expect(codesCsvFilename(new Date('2031-01-02T00:00:00.000Z'))).toBe('onramp-registration-codes-2031-01-02.csv');
    expect(codesCsvFilename()).toBe('onramp-registration-codes-2030-05-06.csv');
  });
});
