#!/usr/bin/env node
// Loopback HTTP load: N concurrent keep-alive clients for a bounded time and request count.
// Prints requests/s, p50, p99 and status counts. Only loopback targets are allowed.
//   node bench/http-load.mjs --url http://127.0.0.1:3000/api/ready --concurrency 32 --seconds 10
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000/api/health' },
    concurrency: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '10' },
    'max-requests': { type: 'string', default: '200000' },
    method: { type: 'string', default: 'GET' },
    body: { type: 'string' },
  },
});
const url = new URL(values.url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
  console.error('bench: only loopback targets are allowed');
  process.exit(2);
}
const concurrency = Number(values.concurrency);
const deadline = Date.now() + Number(values.seconds) * 1000;
const maxRequests = Number(values['max-requests']);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
const statuses = new Map();
let sent = 0;

function once() {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = request(url, { method: values.method, agent, headers: values.body ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        resolve();
      });
    });
    req.on('error', () => {
      statuses.set('error', (statuses.get('error') ?? 0) + 1);
      resolve();
    });
    if (values.body) req.write(values.body);
    req.end();
  });
}

async function worker() {
  while (Date.now() < deadline && sent < maxRequests) {
    sent += 1;
    await once();
  }
}

const start = Date.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = (Date.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]?.toFixed(1);
console.log(`${values.method} ${url.pathname}  concurrency ${concurrency}  ${elapsed.toFixed(1)} s`);
console.log(`requests/s ${(latencies.length / elapsed).toFixed(0)}  p50 ${pct(50)} ms  p99 ${pct(99)} ms`);
console.log(`statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
agent.destroy();
