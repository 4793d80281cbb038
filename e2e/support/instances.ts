import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import path from 'node:path';
import postgres from 'postgres';
import { e2eSettings } from './settings';

/**
 * Extra Onramp instances for specs that need whole processes (two instances on one database, SIGTERM):
 * each is `node server.mjs` from the standalone build (.next/standalone, as the Dockerfile runs it), on
 * its own port, with stdout and stderr in INSTANCE_LOG_DIR (the e2e teardown scans them for secrets).
 * Stopped by PID; stopAll() leaves no process behind.
 */
export const INSTANCE_LOG_DIR = 'test-results/instances';

/** Shared by every instance of one deployment (README: these must be identical on all instances). */
export const INSTANCE_SECRETS = {
  AUTH_SECRET: 'e2e-auth-secret-0123456789abcdef0123456789abcdef',
  ONRAMP_SECRET_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=',
};

export const STANDALONE_DIR = '.next/standalone';

/** Puts what the Dockerfile copies beside the standalone server: static assets, migrations, server.mjs. */
export function prepareStandalone(): string {
  if (!existsSync(path.join(STANDALONE_DIR, 'package.json'))) throw new Error(`${STANDALONE_DIR} is missing: run npm run build (next.config.js output: 'standalone')`);
  cpSync('.next/static', path.join(STANDALONE_DIR, '.next/static'), { recursive: true });
  cpSync('db/migrations', path.join(STANDALONE_DIR, 'db/migrations'), { recursive: true });
  cpSync('server.mjs', path.join(STANDALONE_DIR, 'server.mjs'));
  return STANDALONE_DIR;
}

export interface Instance {
  name: string;
  port: number;
  pid: number;
  logFile: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  log(): string;
  /** JSON lines of the log. */
  lines(): Record<string, unknown>[];
}

const running = new Set<Instance>();

export function startInstance(options: { name: string; port: number; databaseUrl: string; appUrl: string; cwd: string; env?: Record<string, string> }): Instance {
  mkdirSync(INSTANCE_LOG_DIR, { recursive: true });
  const logFile = path.join(INSTANCE_LOG_DIR, `${options.name}.log`);
  const out = createWriteStream(logFile, { flags: 'w' });
  const base = e2eSettings().serverEnv(options.port);
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ...INSTANCE_SECRETS,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      APP_URL: options.appUrl,
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: path.resolve(`test-results/data-${options.name}`),
      NEXT_TELEMETRY_DISABLED: '1',
      METRICS_TOKEN: base.METRICS_TOKEN!,
      ONRAMP_INSTANCE: options.name,
      SMTP_URL: base.SMTP_URL!,
      MAIL_FROM: base.MAIL_FROM!,
      ...options.env,
    } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const instance: Instance = {
    name: options.name,
    port: options.port,
    pid: child.pid!,
    logFile,
    child,
    exited,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    lines: () =>
      instance
        .log()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
  };
  running.add(instance);
  void exited.then(() => running.delete(instance));
  return instance;
}

/** Resolves when /api/ready answers 200; fails early when the process exits. */
export async function waitForReady(instance: Instance, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void instance.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`instance ${instance.name} exited before it was ready:\n${instance.log().slice(-3000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${instance.port}/api/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`instance ${instance.name} not ready after ${timeoutMs} ms:\n${instance.log().slice(-3000)}`);
}

/** SIGTERM to every instance still running, SIGKILL after 30 s; waits for them all. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (i) => {
      i.child.kill('SIGTERM');
      const timer = setTimeout(() => i.child.kill('SIGKILL'), 30_000);
      await i.exited;
      clearTimeout(timer);
    }),
  );
}

export async function createDatabase(name: string): Promise<string> {
  const { adminUrl } = e2eSettings();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(e2eSettings().adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

export function removeInstanceData(name: string): void {
  rmSync(`test-results/data-${name}`, { recursive: true, force: true });
}

/**
 * A load balancer in front of two instances, as production would have, but adversarial: pages
 * (documents) alternate between the instances, and every POST (a form's server action) goes to the
 * instance that did NOT render the last page. Other requests are round-robin. Counts what it did.
 */
export interface Balancer {
  port: number;
  served: Map<number, { documents: number; posts: number; other: number }>;
  /** POSTs sent to the other instance than the one that rendered the page they came from. */
  crossedPosts: number;
  close(): Promise<void>;
}

export async function startBalancer(port: number, backends: readonly [number, number]): Promise<Balancer> {
  let nextDocument = 0;
  let nextOther = 0;
  let lastDocument: number | undefined;
  const served = new Map(backends.map((b) => [b, { documents: 0, posts: 0, other: 0 }]));
  const balancer = { port, served, crossedPosts: 0 } as Balancer;
  const server: Server = createServer((req, res) => {
    let backend: number;
    if (req.method === 'POST') {
      backend = lastDocument === backends[0] ? backends[1] : backends[0];
      if (lastDocument !== undefined) balancer.crossedPosts += 1;
      served.get(backend)!.posts += 1;
    } else if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      backend = backends[nextDocument++ % 2]!;
      lastDocument = backend;
      served.get(backend)!.documents += 1;
    } else {
      backend = backends[nextOther++ % 2]!;
      served.get(backend)!.other += 1;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backend, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  balancer.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return balancer;
}
