import 'server-only';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import { DirectoryError, describeDirectoryError } from './directory-error';
import type { DirectoryConfig } from './settings';

export type ConnectionConfig = Pick<
  DirectoryConfig,
  'url' | 'startTls' | 'caPem' | 'bindDn' | 'bindPassword' | 'connectTimeoutSeconds' | 'operationTimeoutSeconds' | 'baseDn'
>;

/**
 * Certificates are always verified; a configured CA is trusted in addition to nothing else (it replaces the system list).
 * `host` is what the certificate is checked against: StartTLS upgrades an existing socket, and without it Node checks
 * an IP address URL's certificate against "localhost". SNI (servername) is only sent for names, never for IPs.
 */
function tlsOptions(config: ConnectionConfig): ConnectionOptions {
  const host = new URL(config.url).hostname.replace(/^\[|\]$/g, '');
  return { rejectUnauthorized: true, minVersion: 'TLSv1.2', host, servername: /^[\d.:]+$/.test(host) ? undefined : host, ...(config.caPem ? { ca: [config.caPem] } : {}) };
}

/**
 * Connects (ldaps:// or ldap:// with optional StartTLS) and binds with the configured account, within
 * the configured timeouts. Throws a DirectoryError that says what went wrong. The caller unbinds.
 */
export async function openDirectory(config: ConnectionConfig): Promise<Client> {
  const secure = config.url.toLowerCase().startsWith('ldaps:');
  const client = new Client({
    url: config.url,
    connectTimeout: config.connectTimeoutSeconds * 1000,
    timeout: config.operationTimeoutSeconds * 1000,
    // ldapts treats any tlsOptions as "connect with TLS": give them only to ldaps:// (StartTLS gets them below).
    ...(secure ? { tlsOptions: tlsOptions(config) } : {}),
    strictDN: false,
  });
  try {
    if (config.startTls && !secure) await client.startTLS(tlsOptions(config));
    if (config.bindDn) {
      // An empty password would be an unauthenticated bind that "succeeds": never send one.
      if (!config.bindPassword) throw new DirectoryError('credentials', 'No bind password is stored for the bind DN.');
      await client.bind(config.bindDn, config.bindPassword);
    }
    return client;
  } catch (error) {
    await closeDirectory(client);
    throw describeDirectoryError(error, config);
  }
}

export async function closeDirectory(client: Client): Promise<void> {
  await client.unbind().catch(() => undefined);
}
