import {
  AdminLimitExceededError,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  ResultCodeError,
  SizeLimitExceededError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
  UnavailableError,
  BusyError,
} from 'ldapts';

export type DirectoryErrorKind =
  | 'not_configured'
  | 'unreachable'
  | 'tls'
  | 'credentials'
  | 'timeout'
  | 'not_found'
  | 'access'
  | 'partial'
  | 'empty'
  | 'referrals_only'
  | 'mapping'
  | 'server';

/** A failure talking to the directory, in words an admin can act on. */
export class DirectoryError extends Error {
  constructor(
    readonly kind: DirectoryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_|HOSTNAME_|ERR_OSSL|EPROTO)/;
/** OpenSSL's "no path from this certificate to a CA we trust", whatever the chain looked like. */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** TLS failures in words an admin can act on (Node's own wording names OpenSSL internals). */
function describeTlsError(code: string, message: string, url: string): DirectoryError {
  if (UNTRUSTED_CODES.has(code)) return new DirectoryError('tls', "The directory's certificate is not trusted: add its CA certificate (PEM) in the settings.");
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = /cert's list: (.*)$/.exec(message)?.[1];
    return new DirectoryError(
      'tls',
      `The directory's certificate is not made out to the host in ${url}${names ? ` (it names ${names})` : ''}: use a host name the certificate names in the URL, or a certificate that names this host.`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED') return new DirectoryError('tls', "The directory's certificate has expired: renew it on the directory server.");
  if (code === 'CERT_NOT_YET_VALID') return new DirectoryError('tls', "The directory's certificate is not valid yet: check the server's certificate dates and both clocks.");
  return new DirectoryError('tls', `The encrypted connection to the directory failed (${code}). Check the URL's port (ldaps:// or StartTLS) and the CA certificate.`);
}

interface Context {
  url: string;
  connectTimeoutSeconds: number;
  operationTimeoutSeconds: number;
  baseDn?: string;
}

/** Turns anything ldapts or the socket threw into a DirectoryError with a plain reason. */
export function describeDirectoryError(error: unknown, ctx: Context): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidCredentialsError) return new DirectoryError('credentials', 'The directory refused the bind DN or password (invalid credentials).');
  if (error instanceof NoSuchObjectError)
    return new DirectoryError('not_found', `The base DN or group doesn't exist, or the bind account can't see it${ctx.baseDn ? ` (${ctx.baseDn})` : ''}.`);
  if (error instanceof InsufficientAccessError) return new DirectoryError('access', 'The bind account is not allowed to read these entries (insufficient access).');
  if (error instanceof ConfidentialityRequiredError || error instanceof StrongAuthRequiredError)
    return new DirectoryError('tls', 'The directory requires an encrypted connection: use ldaps:// or turn on StartTLS.');
  if (error instanceof SizeLimitExceededError || error instanceof AdminLimitExceededError)
    return new DirectoryError('partial', 'The directory stopped at its size limit, so the result is incomplete. Check that the server allows paged searches.');
  if (error instanceof TimeLimitExceededError) return new DirectoryError('partial', 'The directory stopped at its time limit, so the result is incomplete.');
  if (error instanceof UnavailableError || error instanceof BusyError) return new DirectoryError('unreachable', 'The directory says it is unavailable or busy.');
  if (error instanceof ResultCodeError) return new DirectoryError('server', `The directory answered with an error: ${error.message} (result code ${error.code}).`);
  if (typeof code === 'string' && TLS_CODES.test(code)) return describeTlsError(code, message, ctx.url);
  if (/certificate|ssl|tls/i.test(message)) return new DirectoryError('tls', `The encrypted connection to the directory failed: ${message}.`);
  if (message === 'Connection timeout')
    return new DirectoryError('timeout', `No connection to ${ctx.url} within ${ctx.connectTimeoutSeconds} s (connect timeout).`);
  if (/Operation timed out/.test(message))
    return new DirectoryError('timeout', `The directory at ${ctx.url} accepted the connection but didn't answer within ${ctx.operationTimeoutSeconds} s (operation timeout).`);
  if (code === 'ECONNREFUSED') return new DirectoryError('unreachable', `Nothing answers at ${ctx.url} (connection refused).`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new DirectoryError('unreachable', `The host name in ${ctx.url} can't be resolved.`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return new DirectoryError('unreachable', `${ctx.url} can't be reached (${code}).`);
  if (code === 'ECONNRESET' || /Connection closed|Socket error/.test(message))
    return new DirectoryError('unreachable', `The directory at ${ctx.url} closed the connection (${message.split('\n')[0]}).`);
  return new DirectoryError('server', `The directory request failed: ${message.split('\n')[0]}`);
}
