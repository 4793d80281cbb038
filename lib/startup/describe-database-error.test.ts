import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { databaseUrl } from '@/lib/testing/test-database';
import { describeDatabaseError } from '.';

/** The error a real postgres.js client raises for a URL (fails the test when the query succeeds). */
async function connectionError(url: string): Promise<unknown> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    return error;
  } finally {
    await sql.end({ timeout: 1 });
  }
  throw new Error(`expected connecting to ${url} to fail`);
}

describe('describeDatabaseError', () => {
  it('explains a refused connection (nothing listening on the port)', async () => {
    const url = 'postgres://onramp:secret@127.0.0.1:1/onramp';
    const error = await connectionError(url);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    const message = describeDatabaseError(error, url);
    expect(message).toContain('connection refused');
    expect(message).toContain('127.0.0.1:1');
    expect(message).not.toContain('secret');
  });

  it.runIf(inject('testDriver') === 'postgres')('explains a database that does not exist', async () => {
    const url = databaseUrl(inject('testAdminUrl'), `onramp_missing_${Date.now().toString(36)}`);
    const error = await connectionError(url);
    expect((error as { code?: string }).code).toBe('3D000');
    const message = describeDatabaseError(error, url);
    expect(message).toContain('does not exist');
    const { hostname, port } = new URL(url);
    expect(message).toContain(`${hostname}:${port || 5432}`);
  });

  it.each([
    [{ code: 'ENOTFOUND' }, 'Cannot resolve the Postgres host in DATABASE_URL (db.internal:5432).'],
    [{ code: 'EAI_AGAIN' }, 'Cannot resolve the Postgres host in DATABASE_URL (db.internal:5432).'],
    [{ code: 'CONNECT_TIMEOUT' }, 'Timed out connecting to Postgres at db.internal:5432.'],
    [{ code: 'ETIMEDOUT' }, 'Timed out connecting to Postgres at db.internal:5432.'],
    [{ code: '28P01' }, 'Postgres at db.internal:5432 refused the user or password in DATABASE_URL.'],
    [{ code: '28000' }, 'Postgres at db.internal:5432 refused the user or password in DATABASE_URL.'],
    [{ code: 'XX000', message: 'something odd' }, 'Database error at db.internal:5432: something odd'],
  ])('explains %j', (error, expected) => {
    expect(describeDatabaseError(error, 'postgres://u:pw@db.internal/onramp')).toBe(expected);
  });

  it('names the embedded database when there is no URL, and never repeats an unparsable URL', () => {
    expect(describeDatabaseError(new Error('disk full'), undefined)).toBe('Database error at the embedded database: disk full');
    expect(describeDatabaseError({ code: 'ECONNREFUSED' }, 'not a url with a p4ssword')).toBe(
      'Cannot reach Postgres at DATABASE_URL: connection refused. Is the server running, and is DATABASE_URL right?',
    );
    expect(describeDatabaseError('plain string', undefined)).toBe('Database error at the embedded database: plain string');
  });
});
