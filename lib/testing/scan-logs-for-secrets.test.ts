import { describe, expect, it } from 'vitest';
import { KnownSecrets } from './scan-events-for-secrets';
import { scanLogText } from './scan-logs-for-secrets';

function known(...values: string[]) {
  const k = new KnownSecrets();
  for (const v of values) k.add(v, 'known value', 8);
  k.addFoundIn('Your code is 482913. Open http://127.0.0.1:3100/activate/Q2xhc3NpY1Rva2VuVmFsdWUxMjM0NTY3ODkw', 'message sent');
  return k;
}

const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 'info', time: '2031-01-01T00:00:00.000Z', pid: 42, requestId: '6f1c1a2e-8d4b-4c1e-9a0f-0b1c2d3e4f50', ...fields });

describe('scanLogText', () => {
  it('passes clean structured and plain lines', () => {
    const text = [line({ msg: 'database ready', migrationsApplied: 7 }), line({ msg: 'job ran', job: 'prune-events', deleted: 123456 }), '▲ Next.js 16', line({ msg: 'x', password: '[redacted]' })].join('\n');
    expect(scanLogText('a.log', text, known())).toEqual([]);
  });

  it('finds passwords, codes and tokens from messages, code shapes and unredacted secret fields', () => {
    const text = [
      line({ msg: 'sign-in failed for correct horse battery staple' }),
      line({ msg: 'sent', body: 'code 482913' }),
      'plain line with token Q2xhc3NpY1Rva2VuVmFsdWUxMjM0NTY3ODkw',
      line({ msg: 'redeem', input: 'ABCD-EFGH-2345' }),
      line({ msg: 'oops', otp: '111111' }),
    ].join('\n');
    const findings = scanLogText('a.log', text, known('correct horse battery staple'));
    const byLine = (n: number) => findings.filter((f) => f.line === n).map((f) => f.rule);
    expect(byLine(1)).toContain('known-secret');
    expect(byLine(2)).toEqual(expect.arrayContaining(['known-secret', 'six-digit-code']));
    expect(byLine(3)).toEqual(expect.arrayContaining(['known-secret', 'long-random-run']));
    expect(byLine(4)).toContain('registration-code-shape');
    expect(byLine(5)).toEqual(expect.arrayContaining(['secret-field-name', 'six-digit-code']));
    expect(JSON.stringify(findings)).not.toContain('horse');
  });

  it('lets the first-admin setup link through: it is printed on purpose', () => {
    const text = line({ msg: '\n  No admin exists yet. Create the first one within the hour at:\n\n    http://127.0.0.1:3100/setup/Q2xhc3NpY1Rva2VuVmFsdWUxMjM0NTY3ODkwQUJD\n' });
    expect(scanLogText('a.log', text, known())).toEqual([]);
  });
});
