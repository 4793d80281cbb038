// Onramp's HTTP server: Next.js behind a thin node:http wrapper. It
// - records the TCP peer address in a header the app trusts (x-onramp-peer), after deleting any copy a
//   client sent: Next.js exposes no socket address, and X-Forwarded-For is client-controlled unless
//   TRUST_PROXY says how many proxies to trust;
// - gives every request an id (X-Request-Id, kept from a proxy when well-formed) in an AsyncLocalStorage
//   the app's logger reads (lib/log/request-context.ts), and answers with it;
// - counts requests by route and status for /api/metrics (lib/metrics/http-counters.ts);
// - writes console output as JSON lines in production, like the app's logger;
// - shuts down gracefully on SIGTERM/SIGINT (lib/jobs/shutdown.ts): stop accepting, finish requests in
//   flight and running jobs (up to SHUTDOWN_TIMEOUT_SECONDS), release job claims, exit.
// The shared state lives under global symbols because this file is not bundled and Next bundles the
// app's modules more than once.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parse } from 'node:url';
import { format } from 'node:util';

const dev = process.argv.includes('--dev');
process.env.NODE_ENV = dev ? 'development' : 'production';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || (dev ? 'localhost' : '0.0.0.0');
const shutdownSeconds = Number(process.env.SHUTDOWN_TIMEOUT_SECONDS || 25);
const instance = process.env.ONRAMP_INSTANCE || undefined;

const requestContext = (globalThis[Symbol.for('onramp.requestContext')] ??= new AsyncLocalStorage());
const shutdown = (globalThis[Symbol.for('onramp.shutdown')] ??= { controller: new AbortController(), background: new Set(), release: new Set() });
const httpMetrics = (globalThis[Symbol.for('onramp.httpMetrics')] ??= { inFlight: 0, requests: new Map() });

if (!dev) useJsonConsole();

// In production, use the configuration the build recorded (as .next/standalone/server.js does): the
// standalone directory (see Dockerfile) has no next.config.js, and the runtime must match the build anyway.
if (!dev && existsSync('.next/required-server-files.json')) {
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(JSON.parse(readFileSync('.next/required-server-files.json', 'utf8')).config);
}

const { default: next } = await import('next');
const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

let closing = false;
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

const server = createServer((req, res) => {
  if (closing) {
    // A request on a kept-alive connection after SIGTERM: send it elsewhere.
    res.writeHead(503, { Connection: 'close', 'Retry-After': '1', 'Content-Type': 'text/plain' }).end('Shutting down');
    return;
  }
  delete req.headers['x-onramp-peer'];
  req.headers['x-onramp-peer'] = req.socket.remoteAddress ?? 'unknown';
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = requestId;
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  httpMetrics.inFlight += 1;
  res.once('close', () => {
    httpMetrics.inFlight -= 1;
    countRequest(req.method ?? 'GET', req.url ?? '/', res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    if (closing && httpMetrics.inFlight === 0) drained?.();
  });
  requestContext.run({ requestId }, () => handle(req, res, parse(req.url ?? '/', true)));
});
server.listen(port, hostname, () => {
  const shown = hostname === '0.0.0.0' ? 'localhost' : hostname;
  console.log(`Onramp ${dev ? '(development) ' : ''}is listening on http://${shown}:${port}`);
});

let drained;
async function stop(signal) {
  if (closing) return;
  closing = true;
  const deadline = Date.now() + shutdownSeconds * 1000;
  console.log(`${signal}: shutting down; finishing ${httpMetrics.inFlight} request(s) in flight (at most ${shutdownSeconds} s)`);
  server.close();
  server.closeIdleConnections?.();
  shutdown.controller.abort(new Error('shutting down'));
  const inFlightDone = httpMetrics.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (drained = resolve));
  const waited = await Promise.race([
    Promise.all([inFlightDone, Promise.allSettled([...shutdown.background])]).then(() => 'done'),
    new Promise((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())).unref()),
  ]);
  if (waited === 'timeout') console.warn(`Shutdown timeout: ${httpMetrics.inFlight} request(s) and ${shutdown.background.size} job(s) still running`);
  // Give back job claims this instance holds, so another instance takes them at once.
  await Promise.race([
    Promise.allSettled([...shutdown.release].map((release) => release())),
    new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
  ]);
  console.log('Onramp stopped');
  process.exit(waited === 'timeout' ? 1 : 0);
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void stop(signal));

/** Route label for metrics: ids, tokens and codes folded into :id, static assets into one label. */
function routeOf(url) {
  const path = url.split('?')[0] || '/';
  if (path.startsWith('/_next/')) return path.split('/').slice(0, 3).join('/');
  const route = path
    .split('/')
    .map((s) => (s.length >= 16 || /^\d+$/.test(s) || (s.length >= 6 && /\d/.test(s)) ? ':id' : s))
    .join('/');
  return route.length > 120 ? route.slice(0, 120) : route;
}

function countRequest(method, url, status, seconds) {
  let route = routeOf(url);
  // Bounded: a scanner requesting random paths must not grow the series without end.
  if (!httpMetrics.requests.has(`${method} ${route} ${status}`) && httpMetrics.requests.size >= 1000) route = ':other';
  const key = `${method} ${route} ${status}`;
  const counter = httpMetrics.requests.get(key) ?? { method, route, status, count: 0, seconds: 0 };
  counter.count += 1;
  counter.seconds += seconds;
  httpMetrics.requests.set(key, counter);
}

/** Console output (Next.js's own, and the few plain messages) as JSON lines with level, time and request id. */
function useJsonConsole() {
  const pid = process.pid;
  const write = (stream, level) => (...args) => {
    const requestId = requestContext.getStore()?.requestId;
    const msg = format(...args).replace(/\x1b\[[0-9;]*m/g, '').trim();
    const line = { level, time: new Date().toISOString(), pid, ...(instance ? { instance } : {}), ...(requestId ? { requestId } : {}), msg };
    stream.write(`${JSON.stringify(line)}\n`);
  };
  console.log = write(process.stdout, 'info');
  console.info = write(process.stdout, 'info');
  console.debug = write(process.stdout, 'debug');
  console.warn = write(process.stderr, 'warn');
  console.error = write(process.stderr, 'error');
}
