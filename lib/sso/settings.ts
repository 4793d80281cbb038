import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb, type Executor } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { decryptClientSecret, encryptClientSecret } from './client-secret';
import { DiscoveryError, fetchDiscovery } from './discovery';
import { DEFAULT_SCOPES, type SsoSettingsInput } from './schemas';

/** What the settings page and the sign-in page see. The client secret never leaves the server: only whether one is stored. */
export interface SsoSettingsDto {
  configured: boolean;
  enabled: boolean;
  providerName: string;
  issuerUrl: string;
  clientId: string;
  clientSecretSet: boolean;
  scopes: string;
  emailClaim: string;
  usernameClaim: string;
  allowPasswordSignIn: boolean;
  createUsers: boolean;
  requireSmsMfa: boolean;
  updatedAt: Date | null;
}

/** The settings the sign-in uses, with the client secret in the clear (server memory only). */
export type SsoConfig = Omit<SsoSettingsDto, 'configured' | 'clientSecretSet' | 'updatedAt'> & { clientSecret: string };

type Row = typeof schema.ssoSettings.$inferSelect;

export class SsoSettingsError extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join(' '));
    this.name = 'SsoSettingsError';
  }
}

const DEFAULTS: SsoSettingsDto = {
  configured: false,
  enabled: false,
  providerName: '',
  issuerUrl: '',
  clientId: '',
  clientSecretSet: false,
  scopes: DEFAULT_SCOPES,
  emailClaim: 'email',
  usernameClaim: 'preferred_username',
  allowPasswordSignIn: true,
  createUsers: false,
  requireSmsMfa: false,
  updatedAt: null,
};

async function readRow(db: Executor = getDb()): Promise<Row | undefined> {
  const t = schema.ssoSettings;
  const [row] = await db.select().from(t).where(eq(t.id, 1));
  return row;
}

function toDto(row: Row): SsoSettingsDto {
  const { id: _id, clientSecretEncrypted, ...rest } = row;
  return { ...rest, configured: true, clientSecretSet: !!clientSecretEncrypted };
}

export async function getSsoSettings(db?: Executor): Promise<SsoSettingsDto> {
  const row = await readRow(db);
  return row ? toDto(row) : DEFAULTS;
}

/** The saved settings when SSO is switched on (with the secret), else null. */
export async function loadSsoConfig(): Promise<SsoConfig | null> {
  const row = await readRow();
  if (!row?.enabled || !row.clientSecretEncrypted) return null;
  const { configured: _c, clientSecretSet: _s, updatedAt: _u, ...rest } = toDto(row);
  return { ...rest, clientSecret: decryptClientSecret(row.clientSecretEncrypted) };
}

/** What the sign-in page needs: whether to offer the SSO button, its name, and whether users may use a password. */
export async function getSsoSignInOptions(): Promise<{ enabled: boolean; providerName: string; allowPasswordSignIn: boolean }> {
  const s = await getSsoSettings();
  const enabled = s.enabled && s.clientSecretSet;
  return { enabled, providerName: s.providerName, allowPasswordSignIn: !enabled || s.allowPasswordSignIn };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Names in the event's `changes` where the column's name reads like a secret to the event writer. */
const EVENT_NAMES: Partial<Record<string, string>> = { allowPasswordSignIn: 'localSignInAllowed' };

/**
 * Saves the SSO settings (one row) and writes one SSO Changed event with the before/after of each
 * changed value (a new client secret as "replaced", never its value). Switching SSO on requires a
 * client secret and a discovery document that passes (PKCE S256 included): SsoSettingsError otherwise.
 */
export async function saveSsoSettings(input: SsoSettingsInput, actor: Actor, client: ClientInfo): Promise<{ changed: string[] }> {
  const { clientSecret, ...values } = input;
  if (values.enabled) {
    const stored = await readRow();
    if (!clientSecret && !stored?.clientSecretEncrypted) throw new SsoSettingsError({ clientSecret: 'Enter the client secret before switching single sign-on on.' });
    try {
      await fetchDiscovery(values.issuerUrl);
    } catch (error) {
      if (!(error instanceof DiscoveryError)) throw error;
      throw new SsoSettingsError({ issuerUrl: `Single sign-on cannot be switched on: ${error.message}` });
    }
  }
  const t = schema.ssoSettings;
  return getDb().transaction(async (tx) => {
    const [current] = await tx.select().from(t).where(eq(t.id, 1)).for('update');
    const before: Partial<Row> = current ?? {};
    const changedKeys = (Object.keys(values) as (keyof typeof values)[]).filter((k) => !current || !same(before[k], values[k]));
    const changes: Record<string, { before: unknown; after: unknown }> = Object.fromEntries(
      changedKeys.map((k) => [EVENT_NAMES[k] ?? k, { before: before[k] ?? null, after: values[k] }]),
    );
    if (clientSecret) changes.clientAuthentication = { before: current?.clientSecretEncrypted ? 'set' : 'not set', after: 'replaced' };
    if (Object.keys(changes).length === 0) return { changed: [] };
    const row = { ...values, ...(clientSecret ? { clientSecretEncrypted: encryptClientSecret(clientSecret) } : {}), updatedAt: now() };
    if (current) await tx.update(t).set(row).where(eq(t.id, 1));
    else await tx.insert(t).values({ id: 1, ...row });
    await writeEvent(tx, { kind: EVENT.ssoSettingsChanged, actor, ip: client.ip, userAgent: client.userAgent, details: { changes } });
    return { changed: Object.keys(changes) };
  });
}

/** The Test button's answer. */
export interface SsoTestResult {
  ok: boolean;
  message: string;
  /** What the discovery document announced (when it was read), and any concerns with the settings typed. */
  found?: { label: string; value: string }[];
  warnings: string[];
}

/** Fetches the discovery document of the issuer typed on the form (nothing is saved) and reports what it found. */
export async function testSsoProvider(input: SsoSettingsInput): Promise<SsoTestResult> {
  try {
    const d = await fetchDiscovery(input.issuerUrl);
    const warnings: string[] = [];
    const missingScopes = d.scopesSupported.length ? input.scopes.split(' ').filter((s) => !d.scopesSupported.includes(s)) : [];
    if (missingScopes.length) warnings.push(`The provider does not list the scope(s) ${missingScopes.join(', ')}.`);
    for (const c of [input.emailClaim, input.usernameClaim]) {
      if (d.claimsSupported.length && !d.claimsSupported.includes(c)) warnings.push(`The provider does not list the claim "${c}".`);
    }
    const found = [
      { label: 'Issuer', value: d.issuer },
      { label: 'Authorization endpoint', value: d.authorizationEndpoint },
      { label: 'Token endpoint', value: d.tokenEndpoint },
      { label: 'Keys (JWKS)', value: d.jwksUri },
      { label: 'PKCE methods', value: d.codeChallengeMethods.join(', ') },
      { label: 'Scopes', value: d.scopesSupported.join(' ') || 'not listed' },
      { label: 'Claims', value: d.claimsSupported.join(' ') || 'not listed' },
    ];
    return { ok: true, message: `Found the provider at ${d.issuer}: code flow with PKCE (S256) is supported.`, found, warnings };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    return { ok: false, message: error.message, warnings: [] };
  }
}
