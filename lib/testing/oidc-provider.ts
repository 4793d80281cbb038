import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback, for vitest and e2e. It
 * has one confidential test client (authorization code + PKCE S256) and test accounts; its own
 * development login page accepts any password, the login being the account id (`alice`, ...).
 */

export interface TestAccountClaims {
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  given_name?: string;
  family_name?: string;
  [claim: string]: unknown;
}

export interface TestOidcProvider {
  /** http://127.0.0.1:<port> (no trailing slash): the issuer to configure. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or replaces a test account (its login on the provider's page is `id`). */
  setAccount(id: string, claims: TestAccountClaims): void;
  /** Errors the provider answered with (grant, authorization, server errors), oldest first. */
  refusals: string[];
  /** Stops listening: discovery and the login page are then unreachable (the "provider down" case). */
  stop(): Promise<void>;
}

export const TEST_CLIENT = { clientId: 'onramp-test-client', clientSecret: 'onramp-test-client-secret-0123456789' } as const;

export const DEFAULT_TEST_ACCOUNTS: Record<string, TestAccountClaims> = {
  alice: { email: 'alice@example.org', email_verified: true, preferred_username: 'alice', given_name: 'Alice', family_name: 'Liddell' },
};

/**
 * Starts the provider. `redirectUris` are the app's callbacks (…/api/auth/callback/sso), one per app
 * origin the test uses.
 */
export async function startOidcProvider(options: { redirectUris: string[]; accounts?: Record<string, TestAccountClaims>; port?: number }): Promise<TestOidcProvider> {
  const { default: Provider } = await import('oidc-provider');
  const accounts = new Map(Object.entries({ ...DEFAULT_TEST_ACCOUNTS, ...options.accounts }));
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT.clientId,
        client_secret: TEST_CLIENT.clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username', 'given_name', 'family_name', 'name'],
    },
    // The id token carries the scope's claims (as many providers do), so the app reads them from it.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ['onramp-test-oidc-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, ...(accounts.get(id) ?? {}) }) };
    },
  });
  // What the provider refused, for a test to explain a failure (OIDC_TEST_DEBUG=1 prints them too).
  const refusals: string[] = [];
  const on = provider.on.bind(provider) as (event: string, listener: (ctx: unknown, error: { message?: string; error_description?: string; error_detail?: string }) => void) => void;
  for (const event of ['grant.error', 'authorization.error', 'server_error', 'userinfo.error']) {
    on(event, (ctx, error) => {
      const redirectUri = (ctx as { oidc?: { params?: { redirect_uri?: string } } } | undefined)?.oidc?.params?.redirect_uri;
      const line = [`${event}:`, error?.message, error?.error_description, error?.error_detail, redirectUri ? `(redirect_uri ${redirectUri})` : ''].filter(Boolean).join(' ');
      refusals.push(line);
      if (process.env.OIDC_TEST_DEBUG) console.error(`[oidc-provider] ${line}`);
    });
  }
  server.on('request', provider.callback());
  return {
    issuer,
    clientId: TEST_CLIENT.clientId,
    clientSecret: TEST_CLIENT.clientSecret,
    setAccount: (id, claims) => void accounts.set(id, claims),
    refusals,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
