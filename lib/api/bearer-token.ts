import 'server-only';

const BEARER = /^Bearer +(\S+) *$/i;

/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or undefined. */
export function bearerTokenOf(request: Request): string | undefined {
  return BEARER.exec(request.headers.get('authorization') ?? '')?.[1];
}

/** The WWW-Authenticate challenge: plain when no credential came, with error="invalid_token" when a bad one did. */
export function bearerChallenge(hadToken: boolean): string {
  return hadToken ? 'Bearer realm="onramp", error="invalid_token"' : 'Bearer realm="onramp"';
}
