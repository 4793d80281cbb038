import { afterEach, describe, expect, it } from 'vitest';
import { captureOutput } from '@/lib/testing/capture-output';
import { errorFields, log, resetLogger, runWithRequestId } from '.';

const lines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

afterEach(() => {
  delete process.env.LOG_LEVEL;
  resetLogger();
});

describe('log', () => {
  it('writes one JSON line per entry with level, time, message, fields and the request id', async () => {
    const out = await captureOutput(async () => {
      await runWithRequestId('req-123', async () => {
        await Promise.resolve();
        log.info('user created', { userId: 'u1', count: 2 });
      });
      log.info('outside any request');
    });
    const [inside, outside] = lines(out);
    expect(inside).toMatchObject({ level: 'info', msg: 'user created', userId: 'u1', count: 2, requestId: 'req-123', pid: process.pid });
    expect(new Date(inside!.time as string).toISOString()).toBe(inside!.time);
    expect(outside).toMatchObject({ level: 'info', msg: 'outside any request' });
    expect(outside).not.toHaveProperty('requestId');
  });

  it('gives each concurrent request its own id', async () => {
    const out = await captureOutput(async () => {
      await Promise.all(
        ['a', 'b', 'c'].map((id) =>
          runWithRequestId(id, async () => {
            await new Promise((r) => setImmediate(r));
            log.info('step', { expected: id });
          }),
        ),
      );
    });
    for (const line of lines(out)) expect(line.requestId).toBe(line.expected);
  });

  it('honours LOG_LEVEL and sends warn and error to stderr', async () => {
    process.env.LOG_LEVEL = 'warn';
    resetLogger();
    const errWrites: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => void errWrites.push(chunk)) as unknown as typeof process.stderr.write;
    try {
      const out = await captureOutput(async () => {
        log.debug('hidden');
        log.info('hidden too');
      });
      log.warn('shown', { a: 1 });
      log.error('failed', errorFields(new Error('boom')));
      expect(lines(out)).toEqual([]);
    } finally {
      process.stderr.write = original;
    }
    expect(lines(errWrites.join('')).map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'shown'],
      ['error', 'failed'],
    ]);
    expect(lines(errWrites.join(''))[1]).toMatchObject({ error: 'boom', name: 'Error' });
  });

  it('redacts fields named like secrets and tokens or credentials inside strings', async () => {
    const out = await captureOutput(async () => {
      log.info('sent https://vpn.example.com/activate/AbCdEf0123456789xyzXYZ0123456789abcdEFGH', {
        password: 'correct horse battery staple',
        nested: { otpCode: '123456', resetToken: 'tok', reason: 'invalid', errorCode: 21211 },
        url: 'smtps://mailer:hunter2hunter2@smtp.example.com:465',
        header: 'Bearer abcdefghijklmnop0123456789',
        link: 'http://localhost:3000/reset-password/ZZZZyyyyXXXXwwww1111',
      });
    });
    const [line] = lines(out);
    expect(line).toMatchObject({
      msg: 'sent https://vpn.example.com/activate/[redacted]',
      password: '[redacted]',
      nested: { otpCode: '[redacted]', resetToken: '[redacted]', reason: 'invalid', errorCode: 21211 },
      url: 'smtps://[redacted]@smtp.example.com:465',
      header: 'Bearer [redacted]',
      link: 'http://localhost:3000/reset-password/[redacted]',
    });
    expect(out).not.toMatch(/hunter2|horse|123456|AbCdEf|ZZZZyyyy|abcdefghijklmnop/);
  });
});
