import 'server-only';
import pino, { type Logger } from 'pino';
import { redactFields, redactText } from './redact';
import { getRequestId } from './request-context';

/**
 * Structured logs: one JSON line per entry (pino), with the level, the time, this instance and the id
 * of the request being handled. Fields named like secrets are redacted (./redact.ts); still, never
 * pass secrets. Debug and info go to stdout, warn and error to stderr.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];

const KEY = Symbol.for('onramp.logger');
type WithLogger = typeof globalThis & { [KEY]?: Logger };

function createLogger(): Logger {
  const level = LEVELS.includes(process.env.LOG_LEVEL as Level) ? (process.env.LOG_LEVEL as Level) : 'info';
  // Write through process.stdout/stderr at call time (not fd 1/2 directly) so output stays ordered with
  // Next's own and test harnesses can capture it.
  const out = { write: (line: string) => process.stdout.write(line) };
  const err = { write: (line: string) => process.stderr.write(line) };
  return pino(
    {
      level,
      base: { pid: process.pid, instance: process.env.ONRAMP_INSTANCE || undefined },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = getRequestId();
        return requestId ? { requestId } : {};
      },
    },
    pino.multistream(
      [
        { level: 'debug', stream: out },
        { level: 'warn', stream: err },
      ],
      { dedupe: true },
    ),
  );
}

function logger(): Logger {
  const g = globalThis as WithLogger;
  g[KEY] ??= createLogger();
  return g[KEY];
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  const l = logger();
  if (!l.isLevelEnabled(level)) return;
  if (fields) l[level](redactFields(fields) as Record<string, unknown>, redactText(msg));
  else l[level](redactText(msg));
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, name: error.name, stack: error.stack };
  return { error: String(error) };
}

/** Tests change LOG_LEVEL between cases; this makes the next line use the new value. */
export function resetLogger(): void {
  delete (globalThis as WithLogger)[KEY];
}

export { getRequestId, runWithRequestId } from './request-context';
