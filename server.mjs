// Onramp's HTTP server: Next.js behind a thin node:http wrapper whose only job is to record the TCP
// peer address in a header the app trusts (x-onramp-peer), after deleting any copy a client sent.
// Next.js itself exposes no socket address to route handlers or actions, and X-Forwarded-For is
// client-controlled unless TRUST_PROXY says how many proxies to trust.
import { createServer } from 'node:http';
import { parse } from 'node:url';

const dev = process.argv.includes('--dev');
process.env.NODE_ENV = dev ? 'development' : 'production';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || (dev ? 'localhost' : '0.0.0.0');

const { default: next } = await import('next');
const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  delete req.headers['x-onramp-peer'];
  req.headers['x-onramp-peer'] = req.socket.remoteAddress ?? 'unknown';
  handle(req, res, parse(req.url ?? '/', true));
});
server.listen(port, hostname, () => {
  const shown = hostname === '0.0.0.0' ? 'localhost' : hostname;
  console.log(`Onramp ${dev ? '(development) ' : ''}is listening on http://${shown}:${port}`);
});

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
