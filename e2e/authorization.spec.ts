import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { ADMIN, createUser, db, signInAdmin, signInUser } from './support/fixtures';
import { listBuiltActions, listRouteHandlers, listSourceActions, type ActionRef } from './support/inventory';

/**
 * Every server action and route handler refuses the anonymous caller and the wrong role, except
 * this explicit public list. The 'portal-without-proxy' project runs this with proxy.ts's redirects
 * off, so the refusals come from the guards in lib/auth, not from the proxy.
 */
const PUBLIC_ACTIONS = new Set([
  'app/admin/login/actions.ts#signInAdminAction',
  'app/(portal)/login/actions.ts#signInUserAction',
  // "Sign in with <provider>": redirects to the identity provider, or to /login?sso_error=not_configured when SSO is off.
  'app/(portal)/login/actions.ts#startSsoSignInAction',
  'app/setup/[token]/actions.ts#completeSetupAction',
  'app/activate/[token]/actions.ts#activateAccountAction',
  'app/(portal)/forgot-password/actions.ts#requestPasswordResetAction',
  'app/(portal)/reset-password/[token]/actions.ts#resetPasswordAction',
  'app/(portal)/register/actions.ts#registerDeviceAction',
]);
// The client API authenticates devices itself (registration code, then bearer token); see client-api e2e.
const PUBLIC_ROUTES = new Set(['/api/auth/x', '/api/health', '/api/ready', '/api/v1/client/register', '/api/v1/openapi.json', '/api/webhooks/twilio/status']);

const realmOf = (a: ActionRef) => (a.file.startsWith('app/admin/') ? 'admin' : 'user');
const loginOf = (realm: 'admin' | 'user') => (realm === 'admin' ? '/admin/login' : '/login');

/**
 * A socket the server closed as idle just as the next request went out on it (a keep-alive race, no
 * answer from the app) is the one failure worth a second try: the request never reached an action.
 */
const isIdleSocketRace = (error: unknown) => error instanceof Error && /socket hang up|ECONNRESET/.test(error.message);

async function callAction(request: APIRequestContext, baseURL: string, action: ActionRef, origin = baseURL) {
  const post = () =>
    request.post(action.path, {
      headers: { 'Next-Action': action.id, Origin: origin, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
      data: '[]',
      maxRedirects: 0,
    });
  const response = await post().catch((error: unknown) => {
    if (isIdleSocketRace(error)) return post();
    throw error;
  });
  return { status: response.status(), redirect: response.headers()['x-action-redirect'] ?? response.headers()['location'] ?? '' };
}

async function sessionFor(browser: Browser, baseURL: string, realm: 'admin' | 'user') {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  if (realm === 'admin') await signInAdmin(page, ADMIN);
  else await signInUser(page, await createUser());
  return { request: context.request, close: () => context.close() };
}

test('every server action in the source is in the build, and the inventory is not empty', () => {
  const built = new Set(listBuiltActions().map((a) => `${a.file}#${a.name}`));
  const source = listSourceActions().map((a) => `${a.file}#${a.name}`);
  expect(source.length).toBeGreaterThan(3);
  expect(source.filter((s) => !built.has(s)), 'actions missing from the build manifest').toEqual([]);
});

test('non-public server actions refuse the anonymous caller and the wrong role, and admit the right one', async ({ browser, playwright, baseURL }) => {
  // Two fresh sign-ins (argon2id) per action: give the whole inventory time.
  test.setTimeout(240_000);
  const actions = listBuiltActions().filter((a) => !PUBLIC_ACTIONS.has(`${a.file}#${a.name}`));
  expect(actions.length).toBeGreaterThan(0);
  const anonymous = await playwright.request.newContext({ baseURL });
  for (const action of actions) {
    const realm = realmOf(action);
    const label = `${action.file}#${action.name}`;
    const anon = await callAction(anonymous, baseURL!, action);
    expect(anon.redirect, `${label} as anonymous`).toContain(loginOf(realm));

    const wrong = await sessionFor(browser, baseURL!, realm === 'admin' ? 'user' : 'admin');
    const wrongCall = await callAction(wrong.request, baseURL!, action);
    expect(wrongCall.redirect, `${label} as the wrong role`).toContain(loginOf(realm));
    await wrong.close();

    // The control: the right role gets past the guard (proves the refusals above are real).
    const right = await sessionFor(browser, baseURL!, realm);
    const rightCall = await callAction(right.request, baseURL!, action);
    expect(rightCall.status, `${label} as the right role`).toBeLessThan(500);
    expect(rightCall.redirect.startsWith(loginOf(realm)) && !rightCall.redirect.includes('signed-out'), `${label} as the right role`).toBe(false);
    await right.close();
  }
  await anonymous.dispose();
});

test('server actions refuse a foreign or null Origin', async ({ playwright, baseURL }) => {
  const signIn = listBuiltActions().find((a) => a.name === 'signInAdminAction')!;
  const request = await playwright.request.newContext({ baseURL });
  for (const origin of ['https://evil.example', 'null']) {
    const response = await request.post(signIn.path, {
      headers: { 'Next-Action': signIn.id, Origin: origin, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
      data: JSON.stringify(['$undefined', { identifier: ADMIN.email, password: ADMIN.password }]),
      maxRedirects: 0,
    });
    expect(response.status(), `origin ${origin}`).toBeGreaterThanOrEqual(400);
    expect(response.headers()['set-cookie'] ?? '', `origin ${origin}`).not.toContain('session-token');
  }
  // Control: the same request from our own origin signs in.
  const ok = await request.post(signIn.path, {
    headers: { 'Next-Action': signIn.id, Origin: baseURL!, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
    data: JSON.stringify(['$undefined', { identifier: ADMIN.email, password: ADMIN.password }]),
    maxRedirects: 0,
  });
  expect(ok.headers()['set-cookie'] ?? '').toContain('session-token');
  await request.dispose();
});

test('every route handler is public by decision or refuses the anonymous caller', async ({ playwright, baseURL }) => {
  const routes = listRouteHandlers();
  expect(routes.length).toBeGreaterThan(0);
  expect(routes.filter((r) => r.methods.length === 0).map((r) => r.file), 'route files whose handlers the inventory cannot see').toEqual([]);
  const request = await playwright.request.newContext({ baseURL });
  for (const route of routes) {
    if (PUBLIC_ROUTES.has(route.route)) continue;
    for (const method of route.methods) {
      const response = await request.fetch(route.route, { method, maxRedirects: 0 });
      expect([401, 403, 307, 303], `${method} ${route.route}`).toContain(response.status());
    }
  }
  await request.dispose();
});

test('pages that need a session redirect without one, whatever the proxy does', async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  for (const [path, login] of [['/admin', '/admin/login'], ['/admin/users', '/admin/login'], ['/admin/events', '/admin/login'], ['/admin/events/1', '/admin/login'], ['/', '/login'], ['/account/activity', '/login']] as const) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect([307, 303, 302], path).toContain(response.status());
    expect(response.headers()['location'], path).toContain(login);
  }
  await request.dispose();
});

test('a session that still owes its SMS code reaches no portal page and no portal action', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  // Password accepted, MFA required, no code entered yet: the session is "pending".
  const user = await createUser();
  await db()`update users set mfa_override = 'required' where id = ${user.id}`;
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  try {
    await page.goto('/login');
    await page.getByLabel('Email or username').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/login\/verify/);

    for (const path of ['/', '/account/password', '/account/2fa', '/account/activity']) {
      const response = await context.request.get(path, { maxRedirects: 0 });
      expect([307, 303, 302], path).toContain(response.status());
      expect(response.headers()['location'], path).toContain('/login/verify');
    }
    // Every portal action except the verify pages' own (which exist for this state) and the public ones.
    const portalActions = listBuiltActions().filter(
      (a) => realmOf(a) === 'user' && !PUBLIC_ACTIONS.has(`${a.file}#${a.name}`) && !a.file.startsWith('app/(portal)/login/verify/'),
    );
    expect(portalActions.length).toBeGreaterThan(3);
    for (const action of portalActions) {
      const call = await callAction(context.request, baseURL!, action);
      expect(call.redirect, `${action.file}#${action.name} with a pending session`).toContain('/login/verify');
    }
  } finally {
    await context.close();
    await db()`update users set mfa_override = 'default' where id = ${user.id}`;
  }
});

