import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/db/client';
import { copyRows, getDatabaseHandle, getDb, prepareCopy, uniqueViolation, type CopyValue } from '.';

const COLUMNS = ['id', 'label', 'note'];
const stored = async () => rowsOf<{ id: number; label: string | null; note: string | null }>(await getDb().execute(sql`select id, label, note from copy_probe order by id`));

beforeAll(async () => {
  await getDb().execute(sql`create table copy_probe (id int primary key, label text, note text)`);
});

describe('copyRows', () => {
  it('stores every value as given: tabs, newlines, CR, backslashes, a literal \\N, empty text, NULL and non-ASCII', async () => {
    const rows: CopyValue[][] = [
      ['1', 'tab\there', 'line\nbreak'],
      ['2', 'carriage\rreturn', 'back\\slash \\N \\t'],
      ['3', '\\N', ''],
      ['4', null, 'Zoë 渡辺 🙂'],
      ['5', '\\.', '=HYPERLINK("x")\t'],
    ];
    await getDb().transaction((tx) => copyRows(tx, prepareCopy('copy_probe', COLUMNS, rows)));
    expect(await stored()).toEqual(rows.map(([id, label, note]) => ({ id: Number(id), label, note })));
  });

  it('fails as a whole on a constraint violation, storing none of its rows', async () => {
    const before = await stored();
    const attempt = getDb().transaction((tx) => copyRows(tx, prepareCopy('copy_probe', COLUMNS, [['6', 'new', null], ['1', 'duplicate', null]])));
    const error = await attempt.then(() => undefined, (e: unknown) => e);
    expect(uniqueViolation(error)).toEqual({ constraint: 'copy_probe_pkey' });
    expect(await stored()).toEqual(before);
    if (getDatabaseHandle().driver === 'postgres') {
      // The transaction rolled back: no connection is left in an aborted transaction (postgres.js#1173).
      const states = rowsOf<{ state: string }>(await getDb().execute(sql`select state from pg_stat_activity where datname = current_database()`));
      expect(states.filter((s) => s.state?.startsWith('idle in transaction'))).toEqual([]);
    }
  });

  it('takes part in the transaction: rolled back with it', async () => {
    const before = await stored();
    await expect(
      getDb().transaction(async (tx) => {
        await copyRows(tx, prepareCopy('copy_probe', COLUMNS, [['7', 'kept?', null]]));
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect(await stored()).toEqual(before);
  });

  it('refuses names that are not plain identifiers, and rows of the wrong width', () => {
    expect(() => prepareCopy('copy_probe; drop table users', COLUMNS, [])).toThrow(/not a plain identifier/);
    expect(() => prepareCopy('copy_probe', ['id', 'label"'], [])).toThrow(/not a plain identifier/);
    expect(() => prepareCopy('copy_probe', COLUMNS, [['8', 'two values']])).toThrow(/2 values for 3 columns/);
  });
});
