// The "floor" for bench/redeem.mjs: a minimal Next.js app, written and built at bench time, with two
// route handlers and nothing else (no proxy, no custom server, no logging, no request ids):
//   GET  /api/json   returns a small JSON object (what any route costs on this machine);
//   POST /api/redeem runs DESIGN.md's redemption transaction with postgres.js directly against the
//                    bench database and answers like the product (201 { deviceId, token, user }).
// Issue 4's target is relative to such a route ("a bare Next.js route handler running the same single
// transaction reaches about 1,800 there"), so measuring it in the same run on the same machine turns
// the reference machine's absolute figures into a ratio that means something here.
//
// The app is written under the project (ROOT/.bench-floor), not in a temp dir: Next.js then resolves
// next, react and postgres from the project's own node_modules by walking up, and Turbopack accepts the
// project as its root. A node_modules symlink in a temp dir breaks Turbopack, and a copy is ≈ 645 MB.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './bench-database.mjs';
import { waitUntilReady } from './wait-until-ready.mjs';

export const FLOOR_DIR = path.join(ROOT, '.bench-floor');

const PACKAGE_JSON = JSON.stringify({ name: 'onramp-bench-floor', private: true }, null, 2);

// Same postgres.js treatment as the product (external to the bundle); no type check (nothing to check).
const NEXT_CONFIG = `module.exports = {
  poweredByHeader: false,
  serverExternalPackages: ['postgres'],
  typescript: { ignoreBuildErrors: true },
  turbopack: { root: ${JSON.stringify(ROOT)} },
  outputFileTracingRoot: ${JSON.stringify(ROOT)},
};
`;

const LAYOUT = `export default function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html>
      <body>{children}</body>
    </html>
  );
}
`;

const JSON_ROUTE = `export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ ok: true });
}
`;

// A redeem route: parses and checks the body, computes the product's lookup (HMAC-SHA-256 under the
// HKDF key derived from ONRAMP_SECRET_KEY, lib/registration-codes/code-secrets.ts, of the code
// normalised as code-format.ts does) and a device credential (SHA-256 of a 256-bit token), runs
// `transaction` (which sets `user` or throws Refused) and answers like the product.
const redeemRoute = (transaction) => `import { createHash, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';

export const dynamic = 'force-dynamic';

const sql = postgres(process.env.DATABASE_URL!, { max: 10, connect_timeout: 10, idle_timeout: 60, onnotice: () => {} });
const raw = (process.env.ONRAMP_SECRET_KEY ?? '').trim();
const secret = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
const lookupKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'onramp registration-code lookup', 32));
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE = new RegExp('^[' + ALPHABET + ALPHABET.toLowerCase() + ']{10,24}$');
const PLATFORMS = new Set(['windows', 'macos', 'linux', 'ios', 'android']);

class Refused extends Error {}

export async function POST(request: Request) {
  const body = await request.json().catch(() => undefined);
  const compact = typeof body?.code === 'string' ? body.code.replace(/[\\s-]+/g, '') : '';
  const name = body?.device?.name;
  const platform = body?.device?.platform;
  if (!CODE.test(compact) || typeof name !== 'string' || !name || name.length > 100 || !PLATFORMS.has(platform)) {
    return Response.json({ error: 'invalid_request' }, { status: 400 });
  }
  const lookup = createHmac('sha256', lookupKey).update(compact.toUpperCase(), 'utf8').digest('hex');
  const token = randomBytes(32).toString('base64url');
  const credentialHash = createHash('sha256').update(token, 'utf8').digest('hex');
  const deviceId = randomUUID();
  const ip = request.headers.get('x-forwarded-for') ?? '127.0.0.1';
  const userAgent = request.headers.get('user-agent');
  try {
${transaction}    return Response.json({ deviceId, token, user: { email: user.email, firstName: user.first_name, lastName: user.last_name } }, { status: 201 });
  } catch (error) {
    if (error instanceof Refused) return Response.json({ error: 'code_not_valid' }, { status: 422 });
    throw error;
  }
}
`;

// The design's transaction, one statement at a time: claim the code (conditional UPDATE: one winner),
// check its user is active, insert the device, insert the events (the product's columns and its two
// success events, Code Used and Device Registered, in one INSERT). Six round trips with BEGIN/COMMIT.
const DESIGN_TRANSACTION = `    const user = await sql.begin(async (tx) => {
      const [code] = await tx\`update registration_codes set status = 'used', used_at = now()
        where lookup = \${lookup} and status = 'valid' and expires_at > now() returning id, user_id\`;
      if (!code) throw new Refused();
      const [owner] = await tx\`select email, first_name, last_name, status from users where id = \${code.user_id}\`;
      if (owner?.status !== 'active') throw new Refused();
      await tx\`insert into devices (id, user_id, name, platform, credential_hash, registration_code_id)
        values (\${deviceId}, \${code.user_id}, \${name}, \${platform}, \${credentialHash}, \${code.id})\`;
      await tx\`insert into events (occurred_at, type, sub_type, actor_type, actor_id, actor_label, subject_user_id, device_id, ip, user_agent, outcome, details)
        values (now(), 'Registration Code', 'Used', 'client', \${deviceId}, \${name}, \${code.user_id}, \${deviceId}, \${ip}, \${userAgent}, 'success',
                \${sql.json({ registrationId: code.id, deviceName: name, platform })}),
               (now(), 'Device', 'Registered', 'client', \${deviceId}, \${name}, \${code.user_id}, \${deviceId}, \${ip}, \${userAgent}, 'success',
                \${sql.json({ name, platform, registrationId: code.id })})\`;
      return owner;
    });
`;

// The same steps as one statement (one round trip, as the product's redemption is), without the
// product's rate-limit counters: what a bare route pays for the same work done the product's way.
const ONE_STATEMENT = `    const [user] = await sql\`with claimed as (
        update registration_codes rc set status = 'used', used_at = now()
          from users u
         where rc.lookup = \${lookup}::text and rc.status = 'valid' and rc.expires_at > now() and u.id = rc.user_id and u.status = 'active'
        returning rc.id, rc.user_id, u.email, u.first_name, u.last_name
      ), device as (
        insert into devices (id, user_id, name, platform, credential_hash, registration_code_id)
        select \${deviceId}::uuid, c.user_id, \${name}::text, \${platform}::text::device_platform, \${credentialHash}::text, c.id from claimed c
      ), logged as (
        insert into events (occurred_at, type, sub_type, actor_type, actor_id, actor_label, subject_user_id, device_id, ip, user_agent, outcome, details)
        select now(), e.type, e.sub_type, 'client', \${deviceId}::text, \${name}::text, c.user_id, \${deviceId}::uuid, \${ip}::text, \${userAgent}::text, 'success', e.details
          from claimed c cross join lateral (values
            ('Registration Code', 'Used', jsonb_build_object('registrationId', c.id, 'deviceName', \${name}::text, 'platform', \${platform}::text)),
            ('Device', 'Registered', jsonb_build_object('name', \${name}::text, 'platform', \${platform}::text, 'registrationId', c.id))
          ) as e(type, sub_type, details)
      )
      select email, first_name, last_name from claimed\`;
    if (!user) throw new Refused();
`;

/** Writes the floor app under FLOOR_DIR (replacing an earlier one) and builds it with `next build`; resolves with seconds taken. */
export function buildFloorApp() {
  removeFloorApp();
  const files = {
    'package.json': PACKAGE_JSON,
    'next.config.js': NEXT_CONFIG,
    'app/layout.tsx': LAYOUT,
    'app/api/json/route.ts': JSON_ROUTE,
    'app/api/redeem/route.ts': redeemRoute(DESIGN_TRANSACTION),
    'app/api/redeem-one/route.ts': redeemRoute(ONE_STATEMENT),
    // Turbopack, rooted at the project, would otherwise pick up the project's instrumentation.ts (startOnramp).
    'instrumentation.ts': 'export function register() {}\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(FLOOR_DIR, name)), { recursive: true });
    writeFileSync(path.join(FLOOR_DIR, name), text);
  }
  const started = Date.now();
  const built = spawnSync(process.execPath, [nextBin(), 'build'], {
    cwd: FLOOR_DIR,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`bench: the floor app did not build:\n${built.stdout}\n${built.stderr}`);
  return (Date.now() - started) / 1000;
}

export function removeFloorApp() {
  rmSync(FLOOR_DIR, { recursive: true, force: true });
}

/** `next start` of the floor app on `port` with `env` (DATABASE_URL, ONRAMP_SECRET_KEY); resolves once /api/json answers. */
export async function startFloorApp(env, port) {
  const child = spawn(process.execPath, [nextBin(), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: FLOOR_DIR,
    env: { ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitUntilReady(child, `http://127.0.0.1:${port}/api/json`, { timeoutMs: 60_000, label: 'floor app' });
}

function nextBin() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  return path.join(path.dirname(require.resolve('next/package.json')), 'dist', 'bin', 'next');
}
