import 'server-only';

/** What Test and switching SSO on need from the provider's discovery document. */
export interface DiscoveryFindings {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string | null;
  jwksUri: string;
  scopesSupported: string[];
  claimsSupported: string[];
  codeChallengeMethods: string[];
}

export class DiscoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

const TIMEOUT_MS = 5_000;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export const discoveryUrl = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

/**
 * Fetches <issuer>/.well-known/openid-configuration and checks what the sign-in relies on: the same
 * issuer, the authorization, token and JWKS endpoints, the code flow, and PKCE with S256. Throws
 * DiscoveryError with the problem in plain words.
 */
export async function fetchDiscovery(issuer: string): Promise<DiscoveryFindings> {
  const url = discoveryUrl(issuer);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' }, redirect: 'error' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.name : String(error));
    throw new DiscoveryError(`Could not reach ${url} (${cause === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} seconds` : cause}).`);
  }
  if (!response.ok) throw new DiscoveryError(`${url} answered HTTP ${response.status}.`);
  let doc: Record<string, unknown>;
  try {
    doc = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new DiscoveryError(`${url} did not return a JSON discovery document.`);
  }
  const found: DiscoveryFindings = {
    issuer: text(doc.issuer) ?? '',
    authorizationEndpoint: text(doc.authorization_endpoint) ?? '',
    tokenEndpoint: text(doc.token_endpoint) ?? '',
    userinfoEndpoint: text(doc.userinfo_endpoint),
    jwksUri: text(doc.jwks_uri) ?? '',
    scopesSupported: strings(doc.scopes_supported),
    claimsSupported: strings(doc.claims_supported),
    codeChallengeMethods: strings(doc.code_challenge_methods_supported),
  };
  if (found.issuer.replace(/\/+$/, '') !== issuer.replace(/\/+$/, '')) {
    throw new DiscoveryError(`The discovery document names the issuer "${found.issuer}", not "${issuer}": use exactly the issuer it names.`);
  }
  const missing = (['authorizationEndpoint', 'tokenEndpoint', 'jwksUri'] as const).filter((k) => !found[k]);
  if (missing.length) throw new DiscoveryError(`The discovery document lacks ${missing.join(', ')}.`);
  const responseTypes = strings(doc.response_types_supported);
  if (responseTypes.length && !responseTypes.includes('code')) throw new DiscoveryError('The provider does not offer the authorization code flow (response type "code").');
  if (!found.codeChallengeMethods.includes('S256')) {
    throw new DiscoveryError('The provider does not announce PKCE with S256 (code_challenge_methods_supported); Onramp requires it.');
  }
  return found;
}
