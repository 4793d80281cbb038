import { expect, test } from '@playwright/test';

test('pages and APIs carry the security headers', async ({ request }) => {
  for (const path of ['/admin/login', '/login', '/api/health']) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy'], path).toContain("object-src 'none'");
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['referrer-policy'], path).toBe('no-referrer');
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['x-powered-by'], path).toBeUndefined();
  }
});

test('HSTS is sent when the request came over https', async ({ request }) => {
  const plain = await request.get('/api/health');
  expect(plain.headers()['strict-transport-security']).toBeUndefined();
  const tls = await request.get('/api/health', { headers: { 'X-Forwarded-Proto': 'https' } });
  expect(tls.headers()['strict-transport-security']).toContain('max-age=');
});

test('health and readiness answer without secrets', async ({ request }) => {
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const ready = await request.get('/api/ready');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ ready: true, database: 'ok', migrations: 'ok' });
});
