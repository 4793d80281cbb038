import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { schema } from '@/db/client';
import { resetClock, setClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { API_ERROR_MESSAGES, ApiError, openApiDocument, withClientApi, type JsonSchema } from '@/lib/api';
import { checkDeviceCredential } from '@/lib/devices/check-device-credential';
import { revokeDevice } from '@/lib/devices/revoke-device';
import { SYSTEM_ACTOR } from '@/lib/events';
import { incrementCounter } from '@/lib/rate-limit';
import { revokeCode, REDEEM_LIMITS } from '@/lib/registration-codes';
import { REDEEM_COUNTER_KEYS } from '@/lib/registration-codes/redeem-limits';
import { generateTestCode } from '@/lib/registration-codes/testing';
import { PEER_HEADER } from '@/lib/request';
import { insertTestUser } from '@/lib/testing/factories';
import { POST as register } from './client/register/route';
import { GET as session } from './client/session/route';
import { GET as openapi } from './openapi.json/route';

const T0 = new Date('2030-05-06T10:00:15.000Z');
beforeEach(() => setClock(T0));
afterEach(() => resetClock());

// ---- A validator for the subset of JSON Schema the document uses ----------------------------------

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = openApiDocument.components.schemas[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  return resolve(target);
}

/** Every way `value` breaks `schema` (type, required, properties, additionalProperties, enum, pattern, lengths). */
function violations(value: unknown, schema: JsonSchema, path = '$'): string[] {
  const s = resolve(schema);
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (s.type && kind !== s.type) return [`${path}: expected ${s.type}, got ${kind}`];
  const out: string[] = [];
  if (s.enum && !s.enum.includes(value as string)) out.push(`${path}: ${JSON.stringify(value)} is not one of ${s.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) out.push(`${path}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && [...value].length < s.minLength) out.push(`${path}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && [...value].length > s.maxLength) out.push(`${path}: longer than ${s.maxLength}`);
  }
  if (kind === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) out.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      const property = s.properties?.[key];
      if (property) out.push(...violations(v, property, `${path}.${key}`));
      else if (s.additionalProperties === false) out.push(`${path}: unexpected property ${key}`);
    }
  }
  return out;
}

type Method = 'post' | 'get';

/** Checks a real response against the document: the status is described, headers present, body valid. */
async function expectDocumented(response: Response, path: string, method: Method): Promise<Record<string, unknown>> {
  const described = openApiDocument.paths[path]?.[method]?.responses[String(response.status)];
  expect(described, `${method.toUpperCase()} ${path} ${response.status} is in the document`).toBeDefined();
  for (const header of Object.keys(described!.headers ?? {})) {
    const value = response.headers.get(header);
    expect(value, `header ${header}`).not.toBeNull();
    expect(violations(value, described!.headers![header]!.schema), `header ${header}`).toEqual([]);
  }
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(violations(body, described!.content!['application/json']!.schema)).toEqual([]);
  return body;
}

// ---- Requests -------------------------------------------------------------------------------------

const BASE = 'http://localhost:3000';
let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;
const NO_CONTEXT = { params: Promise.resolve({}) };

function registerRequest(body: unknown, init: { ip?: string; contentType?: string; raw?: string } = {}) {
  return register(
    new Request(`${BASE}/api/v1/client/register`, {
      method: 'POST',
      headers: { 'content-type': init.contentType ?? 'application/json', [PEER_HEADER]: init.ip ?? freshIp(), 'user-agent': 'onramp-client/1.0' },
      body: init.raw ?? JSON.stringify(body),
    }),
    NO_CONTEXT,
  );
}

function sessionRequest(authorization?: string) {
  const headers: Record<string, string> = { [PEER_HEADER]: freshIp() };
  if (authorization !== undefined) headers.authorization = authorization;
  return session(new Request(`${BASE}/api/v1/client/session`, { headers }), NO_CONTEXT);
}

const device = { name: "Alice's laptop", platform: 'windows' };

async function expectRegisterError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = await expectDocumented(response, '/api/v1/client/register', 'post');
  expect(body.error).toMatchObject({ code });
  return body;
}

describe('the JSON Schema subset validator', () => {
  it('catches what it claims to', () => {
    const user = { $ref: '#/components/schemas/User' };
    expect(violations({ email: 'a@b.c', firstName: 'A', lastName: 'B' }, user)).toEqual([]);
    expect(violations({ email: 'a@b.c', firstName: 'A' }, user)).toEqual(['$: missing lastName']);
    expect(violations({ email: 'a@b.c', firstName: 'A', lastName: 'B', passwordHash: 'x' }, user)).toEqual(['$: unexpected property passwordHash']);
    expect(violations({ email: 1, firstName: 'A', lastName: 'B' }, user)).toEqual(['$.email: expected string, got integer']);
    expect(violations('nope', { type: 'string', enum: ['yes'] })).toHaveLength(1);
    expect(violations('abc', { type: 'string', pattern: '^[0-9]+$' })).toHaveLength(1);
  });
});

describe('POST /api/v1/client/register', () => {
  it('registers a device (201) and its token opens a session (200), both as documented', async () => {
    const user = await insertTestUser({ firstName: 'Alice', lastName: 'Liddell' });
    const { code } = await generateTestCode(user.id);
    const response = await registerRequest({ code: code.toLowerCase(), device });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await expectDocumented(response, '/api/v1/client/register', 'post');
    expect(body.user).toEqual({ email: user.email, firstName: 'Alice', lastName: 'Liddell' });

    const [stored] = await getDb().select().from(schema.events).where(eq(schema.events.deviceId, body.deviceId as string));
    expect(stored).toMatchObject({ userAgent: 'onramp-client/1.0', actorType: 'client' });

    const check = await sessionRequest(`Bearer ${body.token as string}`);
    expect(check.status).toBe(200);
    expect(check.headers.get('cache-control')).toBe('no-store');
    expect(await expectDocumented(check, '/api/v1/client/session', 'get')).toEqual({ deviceId: body.deviceId, status: 'active', user: body.user });
  });

  it('refuses malformed requests with 400 invalid_request', async () => {
    await expectRegisterError(await registerRequest(null, { raw: 'code=ABCD', contentType: 'application/x-www-form-urlencoded' }), 400, 'invalid_request');
    await expectRegisterError(await registerRequest(null, { raw: '{"code":', contentType: 'application/json' }), 400, 'invalid_request');
    await expectRegisterError(await registerRequest(null, { raw: JSON.stringify({ code: 'x', device }), contentType: 'application/json; charset=latin1' }), 400, 'invalid_request');
    await expectRegisterError(await registerRequest({ code: 'ABCD-EFGH-JKMN' }), 400, 'invalid_request');
    await expectRegisterError(await registerRequest({ code: 'ABCD-EFGH-JKMN', device: { ...device, platform: 'beos' } }), 400, 'invalid_request');
    await expectRegisterError(await registerRequest({ code: 'ABCD-EFGH-JKMN', device: { ...device, name: '   ' } }), 400, 'invalid_request');
    await expectRegisterError(await registerRequest({ code: 'ABCD-EFGH-JKMN', device: { ...device, name: 'x'.repeat(101) } }), 400, 'invalid_request');
    await expectRegisterError(await registerRequest({ code: 'A'.repeat(20_000), device }), 400, 'invalid_request');
    const body = await expectRegisterError(await registerRequest({ code: 'ABCD-EFGH-JKMN', device: { ...device, platform: 'beos' } }), 400, 'invalid_request');
    expect((body.error as { message: string }).message).toContain('device.platform');
  });

  it('answers each refusal with its documented status and code', async () => {
    const user = await insertTestUser();
    await expectRegisterError(await registerRequest({ code: 'ABCD-EFGH-JKO0', device }), 400, 'invalid_code_format');
    await expectRegisterError(await registerRequest({ code: '2345-6789-ABCD', device }), 404, 'code_not_found');

    const used = await generateTestCode(user.id);
    expect((await registerRequest({ code: used.code, device })).status).toBe(201);
    await expectRegisterError(await registerRequest({ code: used.code, device }), 410, 'code_used');

    const revoked = await generateTestCode(user.id);
    await revokeCode(revoked.id, SYSTEM_ACTOR, { ip: '127.0.0.1', userAgent: null });
    await expectRegisterError(await registerRequest({ code: revoked.code, device }), 410, 'code_revoked');

    const expired = await generateTestCode(user.id);
    setClock(expired.expiresAt);
    await expectRegisterError(await registerRequest({ code: expired.code, device }), 410, 'code_expired');
    setClock(T0);

    const disabledCode = await generateTestCode(user.id);
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, user.id));
    await expectRegisterError(await registerRequest({ code: disabledCode.code, device }), 403, 'user_disabled');
  });

  it('answers 429 rate_limited with Retry-After once an IP used up its failures', async () => {
    const ip = '192.0.2.55';
    for (let i = 0; i < REDEEM_LIMITS.perIp.limit; i++) await incrementCounter(REDEEM_COUNTER_KEYS.ip(ip), REDEEM_LIMITS.perIp.windowSeconds);
    const response = await registerRequest({ code: '2345-6789-ABCD', device }, { ip });
    expect(response.headers.get('retry-after')).toBe('45');
    await expectRegisterError(response, 429, 'rate_limited');
  });
});

describe('GET /api/v1/client/session', () => {
  async function expectUnauthorized(response: Response, code: string, challenge: string) {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(challenge);
    const body = await expectDocumented(response, '/api/v1/client/session', 'get');
    expect(body.error).toMatchObject({ code });
  }

  it('refuses a missing, malformed or unknown credential with 401 invalid_token', async () => {
    await expectUnauthorized(await sessionRequest(), 'invalid_token', 'Bearer realm="onramp"');
    await expectUnauthorized(await sessionRequest('Basic dXNlcjpwYXNz'), 'invalid_token', 'Bearer realm="onramp"');
    await expectUnauthorized(await sessionRequest(`Bearer ${'A'.repeat(43)}`), 'invalid_token', 'Bearer realm="onramp", error="invalid_token"');
  });

  it('refuses a revoked device and a disabled user on the very next call', async () => {
    const user = await insertTestUser();
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { code } = await generateTestCode(user.id);
      tokens.push(((await (await registerRequest({ code, device })).json()) as { token: string }).token);
    }
    const [first, second] = tokens as [string, string];
    const check = await checkDeviceCredential(first);
    if (!check.ok) throw new Error(check.code);
    await revokeDevice(check.deviceId, SYSTEM_ACTOR, { ip: '127.0.0.1', userAgent: null });
    await expectUnauthorized(await sessionRequest(`Bearer ${first}`), 'device_revoked', 'Bearer realm="onramp", error="invalid_token"');

    expect((await sessionRequest(`bearer ${second}`)).status).toBe(200);
    await getDb().update(schema.users).set({ status: 'disabled' }).where(eq(schema.users.id, user.id));
    await expectUnauthorized(await sessionRequest(`Bearer ${second}`), 'user_disabled', 'Bearer realm="onramp", error="invalid_token"');
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('serves the OpenAPI 3.1 document, whose references all resolve and which names every error code', async () => {
    const response = await openapi(new Request(`${BASE}/api/v1/openapi.json`), NO_CONTEXT);
    expect(response.status).toBe(200);
    const served = (await response.json()) as typeof openApiDocument;
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    expect(served.openapi).toBe('3.1.0');
    expect(Object.keys(served.paths).sort()).toEqual(['/api/v1/client/register', '/api/v1/client/session']);

    const text = JSON.stringify(served);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(served.components.schemas[name!], name).toBeDefined();
    const documentedCodes = new Set<string>();
    for (const item of Object.values(served.paths)) {
      for (const operation of Object.values(item)) {
        for (const [status, described] of Object.entries(operation!.responses)) {
          const envelope = described.content?.['application/json']?.schema;
          const codes = envelope?.properties?.error?.properties?.code?.enum ?? [];
          if (Number(status) >= 400) expect(codes.length, status).toBeGreaterThan(0);
          codes.forEach((c) => documentedCodes.add(c));
        }
      }
    }
    expect([...documentedCodes].sort()).toEqual(Object.keys(API_ERROR_MESSAGES).sort());
  });
});

describe('withClientApi', () => {
  it('answers an unexpected error with a generic 500 and logs it with a reference', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const handler = withClientApi(async () => {
        throw new Error('db password is hunter2');
      });
      const response = await handler(new Request(`${BASE}/x`), undefined);
      expect(response.status).toBe(500);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('internal_error');
      expect(body.error.message).not.toContain('hunter2');
      const reference = /Reference: ([0-9a-f]{8})/.exec(body.error.message)?.[1];
      expect(reference).toBeDefined();
      expect(lines.some((l) => l.includes(reference!) && l.includes('hunter2'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('passes an ApiError through with its status and headers', async () => {
    const handler = withClientApi(async () => {
      throw new ApiError(418, 'teapot', 'Short and stout.', { 'X-Extra': '1' });
    });
    const response = await handler(new Request(`${BASE}/x`), undefined);
    expect(response.status).toBe(418);
    expect(response.headers.get('x-extra')).toBe('1');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: { code: 'teapot', message: 'Short and stout.' } });
  });
});
