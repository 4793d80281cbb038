import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A real OpenLDAP slapd for tests: its own temp directory, config and loopback port, loaded with
 * `slapadd` before it starts. Needs Debian's slapd (see .ci/run).
 */
export interface SlapdOptions {
  /** LDIF loaded with slapadd before start (entries under `baseDn`; the base entry is added for you). */
  ldif?: string;
  baseDn?: string;
  /** The server's size limit for a single (unpaged) search; paging must get past it. */
  sizeLimit?: number;
  /**
   * A cap on the total a paged search may return (slapd's size.prtotal): the search fails with
   * sizeLimitExceeded part way, after the pages below the cap were sent. Needs `sizeLimit`.
   */
  pagedTotalLimit?: number;
  /**
   * Also load a small schema with Active Directory's objectGUID (a 16-byte octet string) on an auxiliary
   * class `onrampAdUser`, so entries can carry a binary GUID as AD's do.
   */
  adSchema?: boolean;
  /** Extra slapd.conf lines for the database (e.g. access rules). */
  extraConfig?: string;
  /**
   * Also serve TLS: a test CA and a server certificate for 127.0.0.1 (SAN IP:127.0.0.1, DNS:localhost) are
   * made with openssl in the temp directory; slapd then listens on ldaps:// too, and offers StartTLS on ldap://.
   */
  tls?: boolean;
  /** The loopback address to listen on (default 127.0.0.1); e.g. 127.0.0.2 to serve a certificate that doesn't name the host. */
  host?: string;
}

export interface Slapd {
  url: string;
  port: number;
  baseDn: string;
  /** The rootdn and its password (full access; limits don't apply to it). */
  adminDn: string;
  adminPassword: string;
  /** An ordinary account that can read the tree, as a sync's service account would (limits apply). */
  readerDn: string;
  readerPassword: string;
  /** With `tls`: the ldaps:// URL (same host, its own port) and the PEM of the CA that signed the server certificate. */
  ldapsUrl?: string;
  caPem?: string;
  /** Stops the server (SIGTERM) and waits for it to exit. Its data stays until `destroy`. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
  /** Runs ldapadd/ldapmodify/ldapdelete as the rootdn; throws with the tool's output on failure. */
  modify(ldif: string): void;
  add(ldif: string): void;
  remove(dn: string): void;
}

const SLAPD = ['/usr/sbin/slapd', 'slapd'].find((p) => spawnSync(p, ['-VV']).status !== null) ?? 'slapd';
const SLAPADD = ['/usr/sbin/slapadd', 'slapadd'].find((p) => spawnSync(p, ['-VV']).status !== null) ?? 'slapadd';

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`slapd: timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

function run(cmd: string, args: string[], input?: string): void {
  const result = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes a self-signed test CA in `dir` (ca.pem, ca.key); returns the certificate's PEM. */
export function createTestCa(dir: string, name = 'Onramp test CA'): string {
  const ca = path.join(dir, 'ca.pem');
  run('openssl', ['req', '-x509', ...EC_KEY, '-keyout', path.join(dir, 'ca.key'), '-out', ca, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return readFileSync(ca, 'utf8');
}

/** A CA PEM that signed nothing the harness serves (for "a CA that didn't sign the server certificate"). */
export function createUnrelatedCaPem(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'onramp-ca-'));
  try {
    return createTestCa(dir, 'Some other CA');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The test CA and a server certificate for 127.0.0.1 / localhost signed by it, in `dir` (key mode 0600, slapd runs as us). */
function createServerCertificates(dir: string): { caPem: string; cert: string; key: string; ca: string } {
  const caPem = createTestCa(dir);
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  run('openssl', ['req', '-new', ...EC_KEY, '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1']);
  writeFileSync(
    ext,
    ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:localhost', ''].join('\n'),
  );
  run('openssl', ['x509', '-req', '-in', csr, '-CA', path.join(dir, 'ca.pem'), '-CAkey', path.join(dir, 'ca.key'), '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  chmodSync(key, 0o600);
  return { caPem, cert, key, ca: path.join(dir, 'ca.pem') };
}

/** objectGUID as Active Directory defines it (syntax Octet String), on an auxiliary class for inetOrgPerson entries. */
function writeAdSchema(dir: string): string {
  const file = path.join(dir, 'ad.schema');
  writeFileSync(
    file,
    [
      "attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID' DESC 'Active Directory object GUID' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )",
      "objectclass ( 1.3.6.1.4.1.99999.1.1 NAME 'onrampAdUser' DESC 'test: an entry with an AD objectGUID' SUP top AUXILIARY MAY objectGUID )",
      '',
    ].join('\n'),
  );
  return file;
}

export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const baseDn = options.baseDn ?? 'dc=example,dc=org';
  const dir = mkdtempSync(path.join(tmpdir(), 'onramp-slapd-'));
  const dbDir = path.join(dir, 'db');
  spawnSync('mkdir', ['-p', dbDir]);
  const adminDn = `cn=admin,${baseDn}`;
  const adminPassword = 'slapd-test-secret';
  const conf = path.join(dir, 'slapd.conf');
  const tls = options.tls ? createServerCertificates(dir) : null;
  writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'include /etc/ldap/schema/nis.schema',
      ...(options.adSchema ? [`include ${writeAdSchema(dir)}`] : []),
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      ...(tls ? [`TLSCACertificateFile ${tls.ca}`, `TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`] : []),
      // The limit caps unpaged searches (and each page); paged searches may return any total, as AD's MaxPageSize.
      options.sizeLimit
        ? `sizelimit size.soft=${options.sizeLimit} size.hard=${options.sizeLimit} size.prtotal=${options.pagedTotalLimit ?? 'unlimited'}`
        : 'sizelimit unlimited',
      'database mdb',
      'maxsize 1073741824',
      `suffix "${baseDn}"`,
      `rootdn "${adminDn}"`,
      `rootpw ${adminPassword}`,
      `directory ${dbDir}`,
      'index objectClass eq',
      'index entryUUID eq',
      options.extraConfig ??
        ['access to attrs=userPassword by self write by anonymous auth by * none', 'access to * by users read by * none'].join('\n'),
      '',
    ].join('\n'),
  );
  const rdn = baseDn.split(',')[0]!;
  const [attr, value] = rdn.split('=');
  const base = `dn: ${baseDn}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: Test\n${attr}: ${value}\n`;
  const readerDn = `cn=reader,${baseDn}`;
  const readerPassword = 'reader-secret';
  const reader = `dn: ${readerDn}\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: reader\nsn: reader\nuserPassword: ${readerPassword}\n`;
  run(SLAPADD, ['-f', conf, '-q'], `${base}\n${reader}\n${options.ldif ?? ''}`);

  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const url = `ldap://${host}:${port}`;
  let ldapsPort: number | null = null;
  while (tls && (ldapsPort === null || ldapsPort === port)) ldapsPort = await freePort(host);
  const ldapsUrl = ldapsPort ? `ldaps://${host}:${ldapsPort}` : undefined;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    let output = '';
    const listen = ldapsUrl ? `${url}/ ${ldapsUrl}/` : `${url}/`;
    child = spawn(SLAPD, ['-f', conf, '-h', listen, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    let dead = false;
    exited = new Promise((resolve) => child!.once('exit', () => ((dead = true), resolve())));
    await waitFor(async () => {
      if (dead) throw new Error(`slapd exited at start: ${output}`);
      return (await canConnect(port, host)) && (ldapsPort === null || (await canConnect(ldapsPort, host)));
    }, `slapd on ${ldapsUrl ? `${url} and ${ldapsUrl}` : url}`);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  const ldapTool = (tool: string, args: string[], input?: string) =>
    run(tool, ['-x', '-H', url, '-D', adminDn, '-w', adminPassword, ...args], input);

  await start();
  return {
    url,
    port,
    baseDn,
    adminDn,
    adminPassword,
    readerDn,
    readerPassword,
    ...(tls ? { ldapsUrl, caPem: tls.caPem } : {}),
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    modify: (ldif) => ldapTool('ldapmodify', [], ldif),
    add: (ldif) => ldapTool('ldapadd', [], ldif),
    remove: (dn) => ldapTool('ldapdelete', [dn]),
  };
}

/** One inetOrgPerson entry as LDIF (values are written base64 when they aren't plain ASCII). */
export function personLdif(dn: string, attrs: Record<string, string | string[] | undefined>): string {
  const lines = [`dn: ${dn}`, 'objectClass: inetOrgPerson'];
  for (const [name, raw] of Object.entries(attrs)) {
    if (raw === undefined) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const plain = /^[\x20-\x7e]*$/.test(value) && !/^[ :<]/.test(value);
      lines.push(plain ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
