import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import NextAuth, { AuthError, type NextAuthConfig } from 'next-auth';
import type { OIDCConfig } from 'next-auth/providers';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { errorFields, log } from '@/lib/log';
import { clientInfoFrom, getClientInfo } from '@/lib/request';
import {
  completeSsoSignIn,
  confirmSsoReauthentication,
  DiscoveryError,
  fetchDiscovery,
  loadSsoConfig,
  recordSsoFailure,
  recordSsoReauthFailure,
  SsoRefusal,
  type SsoConfig,
  type SsoFailureReason,
  type SsoReauthFailure,
} from '@/lib/sso';
import { getPrincipal } from './guards';
import { readTrustedBrowserToken } from './mfa-state';
import { sharedAuthConfig } from './next-auth';
import { safeNextPath } from './schemas';
import type { UserPrincipal } from './types';
import { sendSignInCode } from './sign-in-action';
import { captureSignIn, recordSignIn } from './sign-in-outcome';
import { verifyPathFor } from './verify-paths';

/**
 * Single sign-on: a second next-auth instance whose only provider is the organisation's OpenID
 * Connect provider, configured from the database on every request (so a change in /admin/sso holds at
 * once, on every instance). It shares the secret, cookies and JWT callbacks with the password
 * instance: the session cookie it sets is the portal's ordinary session. Authorization code flow with
 * PKCE (S256), state and nonce, all checked by next-auth.
 */

export const SSO_PROVIDER_ID = 'sso';
export const SSO_CALLBACK_PATH = `/api/auth/callback/${SSO_PROVIDER_ID}`;

/** The error next-auth logged while handling the callback (it only redirects with a coarse type), and whether it was a re-authentication. */
type CallbackStore = { error?: Error; reauthentication?: boolean };
const loggedErrors = new AsyncLocalStorage<CallbackStore>();

/*
 * Re-authentication (/account/2fa, users without a password): the same provider and callback, with
 * prompt=login and max_age=0. Starting it sets this short-lived cookie (the session it is for, where to
 * go back); the callback then confirms the signed-in user instead of opening a new session. The cookie
 * grants nothing by itself: the callback still needs this very session, the same account at the provider
 * and a fresh auth_time.
 */
const REAUTH_COOKIE = 'onramp-sso-reauth';
const REAUTH_COOKIE_SECONDS = 10 * 60;
type ReauthIntent = { sessionId: string; next: string; back: string };

function readReauthIntent(cookieHeader: string | null): ReauthIntent | null {
  const raw = cookieHeader
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${REAUTH_COOKIE}=`))
    ?.slice(REAUTH_COOKIE.length + 1);
  if (!raw) return null;
  const params = new URLSearchParams(decodeURIComponent(raw));
  const sessionId = params.get('sid');
  if (!sessionId) return null;
  return { sessionId, next: safeNextPath('user', params.get('next') ?? undefined), back: safeNextPath('user', params.get('back') ?? undefined) };
}

const withError = (path: string, reason: SsoReauthFailure) => {
  const url = new URL(path, 'http://onramp.invalid');
  url.searchParams.set('sso_error', reason);
  return `${url.pathname}${url.search}`;
};

const clearReauthCookie = () => `${REAUTH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;

/** The callback of a re-authentication: this session, this user, a fresh sign-in at the provider. */
async function completeReauthentication(config: SsoConfig, intent: ReauthIntent, claims: Record<string, unknown>, h: Headers): Promise<string> {
  const { principal } = await getPrincipal('user');
  const client = clientInfoFrom(h);
  if (!principal || principal.sessionId !== intent.sessionId || principal.realm !== 'user') {
    if (principal?.realm === 'user') await recordSsoReauthFailure(principal, 'session_changed', { issuer: config.issuerUrl }, client);
    return withError(intent.back, 'session_changed');
  }
  const result = await confirmSsoReauthentication(config, principal, claims, client);
  return result.ok ? intent.next : withError(intent.back, result.reason);
}

export const ssoCallbackUrl = () => new URL(SSO_CALLBACK_PATH, getEnv().APP_URL).toString();

const loginWithError = (reason: SsoFailureReason) => `/login?sso_error=${reason}`;

function ssoProvider(config: SsoConfig): OIDCConfig<Record<string, unknown>> {
  return {
    id: SSO_PROVIDER_ID,
    name: config.providerName,
    type: 'oidc',
    issuer: config.issuerUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    checks: ['pkce', 'state', 'nonce'],
    // The redirect URI is the canonical APP_URL's (what the admin registers at the provider), whatever Host the request had.
    authorization: { params: { scope: config.scopes, redirect_uri: ssoCallbackUrl() } },
    // The session carries our claims only (see signIn below); the id token's claims stay out of the cookie.
    profile: (profile) => ({ id: typeof profile.sub === 'string' ? profile.sub : '' }),
  };
}

async function buildSsoConfig(): Promise<NextAuthConfig> {
  const config = await loadSsoConfig();
  const shared = sharedAuthConfig();
  return {
    ...shared,
    providers: config ? [ssoProvider(config)] : [],
    logger: {
      error(error) {
        const store = loggedErrors.getStore();
        if (store) store.error = error;
        else console.error(`[auth sso] ${error.name}: ${error.message}`);
      },
      warn() {},
      debug() {},
    },
    callbacks: {
      ...shared.callbacks,
      /** The id token is verified (signature, issuer, audience, nonce): match the user and open the session. */
      async signIn({ user, profile }) {
        if (!config) return loginWithError('not_configured');
        const h = await headers();
        const intent = readReauthIntent(h.get('cookie'));
        if (intent) {
          const store = loggedErrors.getStore();
          if (store) store.reauthentication = true;
          return completeReauthentication(config, intent, (profile ?? {}) as Record<string, unknown>, h);
        }
        try {
          const result = await completeSsoSignIn(config, (profile ?? {}) as Record<string, unknown>, clientInfoFrom(h), {
            trustedBrowserToken: readTrustedBrowserToken(h.get('cookie')),
          });
          recordSignIn(result);
          Object.assign(user, result);
          return true;
        } catch (error) {
          if (error instanceof SsoRefusal) return loginWithError(error.reason);
          throw error;
        }
      },
    },
  };
}

const sso = NextAuth(() => buildSsoConfig());

/**
 * "Sign in with <provider>": checks the provider answers (a clear error page when it is down), then
 * redirects (throws NEXT_REDIRECT) to its authorization endpoint with fresh state, nonce and PKCE.
 */
export async function startSsoSignIn(next: string | undefined): Promise<never> {
  const config = await loadSsoConfig();
  if (!config) redirect(loginWithError('not_configured'));
  const client = await getClientInfo();
  const unreachable = async (error: unknown) => {
    await recordSsoFailure('provider_unreachable', { issuer: config.issuerUrl, error: error instanceof Error ? error.message : String(error) }, client);
    redirect(loginWithError('provider_unreachable'));
  };
  try {
    await fetchDiscovery(config.issuerUrl);
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    return unreachable(error);
  }
  // A re-authentication abandoned earlier must not turn this sign-in into one.
  (await cookies()).delete(REAUTH_COOKIE);
  try {
    await sso.signIn(SSO_PROVIDER_ID, { redirectTo: safeNextPath('user', next) });
  } catch (error) {
    if (error instanceof AuthError) return unreachable(error);
    throw error;
  }
  throw new Error('next-auth did not redirect to the identity provider');
}

/**
 * "Confirm with <provider>" on /account/2fa: the provider's sign-in again (prompt=login, max_age=0)
 * for the signed-in user; back to `next` when confirmed, to `back` with ?sso_error=<reason> otherwise.
 */
export async function startSsoReauthentication(user: Pick<UserPrincipal, 'id' | 'email' | 'sessionId'>, paths: { next: string; back: string }): Promise<never> {
  const config = await loadSsoConfig();
  if (!config) redirect(withError(paths.back, 'not_configured'));
  try {
    await fetchDiscovery(config.issuerUrl);
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    await recordSsoReauthFailure(user, 'provider_unreachable', { issuer: config.issuerUrl, error: error.message }, await getClientInfo());
    redirect(withError(paths.back, 'provider_unreachable'));
  }
  const intent = new URLSearchParams({ sid: user.sessionId, next: paths.next, back: paths.back });
  (await cookies()).set(REAUTH_COOKIE, intent.toString(), {
    httpOnly: true,
    sameSite: 'lax',
    secure: getEnv().APP_URL.startsWith('https://'),
    path: '/',
    maxAge: REAUTH_COOKIE_SECONDS,
  });
  try {
    await sso.signIn(SSO_PROVIDER_ID, { redirectTo: paths.next }, { prompt: 'login', max_age: '0' });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    await recordSsoReauthFailure(user, 'provider_unreachable', { issuer: config.issuerUrl, error: error.message }, await getClientInfo());
    redirect(withError(paths.back, 'provider_unreachable'));
  }
  throw new Error('next-auth did not redirect to the identity provider');
}

/** Why next-auth refused the callback, from the provider's own error or the check that failed. */
function callbackFailure(url: URL, error: Error | undefined): { reason: SsoFailureReason; details: Record<string, unknown> } {
  const providerError = url.searchParams.get('error');
  if (providerError) {
    const description = url.searchParams.get('error_description');
    return { reason: 'provider_error', details: { providerError, ...(description ? { providerErrorDescription: description.slice(0, 500) } : {}) } };
  }
  // next-auth wraps what failed: CallbackRouteError { cause: { err: InvalidCheck | OAuthCallbackError | TypeError … } }.
  const inner = (error?.cause as { err?: unknown } | undefined)?.err;
  const innerText = inner instanceof Error ? inner.message.replace(/\. Read more at .*$/, '') : undefined;
  const innerCause = (inner as { cause?: unknown } | undefined)?.cause;
  // oauth4webapi's ResponseBodyError: the token endpoint's own error (invalid_grant, invalid_client…).
  const body = inner as { error?: unknown; error_description?: unknown } | undefined;
  const endpointError = typeof body?.error === 'string' ? [body.error, typeof body.error_description === 'string' ? body.error_description : ''].filter(Boolean).join(': ') : undefined;
  const message = [innerText, endpointError, innerCause instanceof Error ? innerCause.message : undefined].filter(Boolean).join(': ').slice(0, 500);
  // Class names are minified in the build: name the error by what it carries (oauth4webapi's code, next-auth's type).
  const code = (inner as { code?: unknown } | undefined)?.code;
  const name = typeof body?.error === 'string' ? body.error : typeof code === 'string' ? code : (error as { type?: string } | undefined)?.type;
  const details = { error: name ?? 'unknown', ...(message ? { message } : {}) };
  if (/fetch failed|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|network/i.test(message)) return { reason: 'provider_unreachable', details };
  if (details.error === 'OAuthCallbackError') return { reason: 'provider_error', details };
  return { reason: 'invalid_response', details };
}

const withCookie = (response: Response, cookie: string) => {
  response.headers.append('set-cookie', cookie);
  return response;
};

const redirectTo = (response: Response, location: string) => {
  const h = new Headers();
  for (const [k, v] of response.headers) if (k.toLowerCase() !== 'set-cookie' && k.toLowerCase() !== 'location') h.append(k, v);
  for (const c of response.headers.getSetCookie()) h.append('set-cookie', c);
  h.set('location', location);
  return new Response(null, { status: 302, headers: h });
};

/**
 * GET /api/auth/callback/sso: next-auth verifies the answer (state, PKCE, nonce, id token) and
 * calls signIn above. A failure next-auth only reports as /login?error=<type> is recorded here with
 * the provider's error and shown as /login?sso_error=<reason>; a session that owes its SMS code goes
 * to /login/verify (the code is sent once, here).
 */
export async function handleSsoCallback(incoming: NextRequest): Promise<Response> {
  // The token request repeats the redirect URI: the same canonical APP_URL one the authorization request sent.
  // A plain Request: a NextRequest would rewrite a loopback 127.0.0.1 to "localhost" (a different redirect URI).
  const canonical = new URL(`${incoming.nextUrl.pathname}${incoming.nextUrl.search}`, getEnv().APP_URL);
  const request = new Request(canonical, { headers: incoming.headers, method: incoming.method }) as NextRequest;
  const store: CallbackStore = {};
  const { value: response, result } = await captureSignIn(() => loggedErrors.run(store, () => sso.handlers.GET(request)));
  const location = response.headers.get('location') ?? '';
  const target = new URL(location || '/login', canonical.origin);
  const intent = readReauthIntent(request.headers.get('cookie'));
  if (store.reauthentication) return withCookie(redirectTo(response, location || intent?.back || '/'), clearReauthCookie());
  if (intent && !result) {
    // A re-authentication the provider or next-auth refused: back to /account/2fa, not to the sign-in page.
    const { reason, details } = callbackFailure(canonical, store.error);
    const { principal } = await getPrincipal('user');
    log.warn('SSO re-authentication failed', { reason, ...details });
    if (principal) await recordSsoReauthFailure(principal, reason as SsoReauthFailure, details, clientInfoFrom(request.headers));
    return withCookie(redirectTo(response, withError(intent.back, reason as SsoReauthFailure)), clearReauthCookie());
  }
  if (!result && !target.searchParams.has('sso_error')) {
    const { reason, details } = callbackFailure(canonical, store.error);
    const config = await loadSsoConfig().catch(() => null);
    log.warn('SSO sign-in failed', { reason, ...details });
    try {
      await recordSsoFailure(reason, { ...details, ...(config ? { issuer: config.issuerUrl } : {}) }, clientInfoFrom(request.headers));
    } catch (error) {
      log.error('recording a failed SSO sign-in failed', errorFields(error));
    }
    return redirectTo(response, loginWithError(reason));
  }
  if (result?.mfaState === 'pending') {
    await sendSignInCode(result, clientInfoFrom(request.headers));
    return redirectTo(response, verifyPathFor(target.origin === canonical.origin ? target.pathname + target.search : undefined));
  }
  return response;
}
