import 'server-only';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The only module that reads process.env. Every variable is validated here at start; a bad value
 * stops the process with a message naming the variable.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a URL like postgres://user:password@host:5432/database');

const secretKey = z
  .string()
  .trim()
  .refine((v) => decodeKey(v)?.length === 32, 'must be 32 bytes, written as 64 hex characters or base64');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: optionalString.pipe(postgresUrl.optional()),
    DATA_DIR: z.string().trim().min(1).default('./.data'),
    APP_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://vpn.example.com' })
      .optional()
      .transform((v) => v?.replace(/\/+$/, '')),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    AUTH_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    ONRAMP_SECRET_KEY: optionalString.pipe(secretKey.optional()),
    ADMIN_EMAIL: optionalString.pipe(z.email('must be an email address').optional()),
    ADMIN_PASSWORD: optionalString,
    TRUST_PROXY: z.coerce.number().int('must be a whole number of proxy hops').min(0).max(10).default(0),
    SMTP_URL: optionalString.pipe(
      z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
    ),
    MAIL_FROM: optionalString,
    TWILIO_ACCOUNT_SID: optionalString.pipe(z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC + 32 hex').optional()),
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_FROM: optionalString,
    TWILIO_MESSAGING_SERVICE_SID: optionalString.pipe(
      z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG + 32 hex').optional(),
    ),
    TWILIO_API_BASE_URL: optionalString.pipe(z.url().optional()),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    ONRAMP_PROXY_REDIRECTS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
    /** Bearer token for GET /api/metrics; unset = the endpoint answers 404. */
    METRICS_TOKEN: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    /** Names this instance in logs and metrics (default: host name and process id). */
    ONRAMP_INSTANCE: optionalString.pipe(z.string().max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'may use letters, digits and . _ : - only').optional()),
    /** On SIGTERM, how long to wait for requests in flight and running jobs before exiting anyway. */
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int('must be a whole number of seconds').min(1).max(600).default(25),
    /** Next.js server-action encryption key (base64 of 16, 24 or 32 bytes); the same on every instance and build. */
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && [16, 24, 32].includes(Buffer.from(v, 'base64').length), 'must be base64 of 16, 24 or 32 bytes (openssl rand -base64 32)')
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'is required when ADMIN_EMAIL is set' });
    }
    if (env.ADMIN_PASSWORD && !env.ADMIN_EMAIL) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_EMAIL'], message: 'is required when ADMIN_PASSWORD is set' });
    }
    if (env.NODE_ENV === 'production') {
      if (!env.APP_URL) ctx.addIssue({ code: 'custom', path: ['APP_URL'], message: 'is required in production (links in emails use it)' });
      for (const key of ['AUTH_SECRET', 'ONRAMP_SECRET_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
      }
    }
    const twilio = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN].filter(Boolean).length;
    if (twilio === 1) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID'],
        message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together',
      });
    }
    if (twilio === 2 && !env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_FROM'],
        message: 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required with Twilio credentials',
      });
    }
    if (env.SMTP_URL && !env.MAIL_FROM) {
      ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'is required when SMTP_URL is set' });
    }
  });

type ParsedEnv = z.infer<typeof schema>;

export type Env = Omit<ParsedEnv, 'AUTH_SECRET' | 'ONRAMP_SECRET_KEY' | 'APP_URL'> & {
  /** Base URL for links in emails; defaults to http://localhost:PORT. */
  APP_URL: string;
  AUTH_SECRET: string;
  /** 32-byte key for secrets at rest. */
  ONRAMP_SECRET_KEY: Buffer;
  /** Names of the secrets generated for development (announced once with a warning). */
  generatedSecrets: string[];
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const buf = Buffer.from(value, 'base64');
    return buf.length === 32 ? buf : undefined;
  }
  return undefined;
}

/** Validates a set of variables. Pure: used at start and by tests. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`),
    );
  }
  const env = result.data;
  const generatedSecrets: string[] = [];
  let authSecret = env.AUTH_SECRET;
  let dataKey = env.ONRAMP_SECRET_KEY;
  if (!authSecret || !dataKey) {
    const stored = loadDevSecrets(env.DATA_DIR);
    if (!authSecret) {
      authSecret = stored.AUTH_SECRET;
      generatedSecrets.push('AUTH_SECRET');
    }
    if (!dataKey) {
      dataKey = stored.ONRAMP_SECRET_KEY;
      generatedSecrets.push('ONRAMP_SECRET_KEY');
    }
  }
  const APP_URL = env.APP_URL ?? `http://localhost:${env.PORT}`;
  return { ...env, APP_URL, AUTH_SECRET: authSecret, ONRAMP_SECRET_KEY: decodeKey(dataKey)!, generatedSecrets };
}

/** Development only: secrets generated once and kept under DATA_DIR so sessions survive restarts. */
function loadDevSecrets(dataDir: string): { AUTH_SECRET: string; ONRAMP_SECRET_KEY: string } {
  const file = path.resolve(dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { AUTH_SECRET: string; ONRAMP_SECRET_KEY: string };
    if (parsed.AUTH_SECRET && parsed.ONRAMP_SECRET_KEY) return parsed;
  }
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    ONRAMP_SECRET_KEY: randomBytes(32).toString('hex'),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change process.env between cases; this forgets the parsed copy. */
export function resetEnvCache(): void {
  cached = undefined;
}
