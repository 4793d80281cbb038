import type { Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import type { TestOidcProvider } from '@/lib/testing/oidc-provider';
import { ssoSettingsSchema, type SsoSettingsInput } from './schemas';
import { loadSsoConfig, saveSsoSettings, type SsoConfig } from './settings';

/** Test support for lib/sso (vitest only). */
export const SSO_ADMIN: Actor = { type: 'admin', id: '00000000-0000-4000-8000-00000000055a', label: 'sso-admin@example.com' };
export const SSO_CLIENT: ClientInfo = { ip: '203.0.113.80', userAgent: 'vitest sso' };

export function ssoInput(provider: Pick<TestOidcProvider, 'issuer' | 'clientId' | 'clientSecret'>, overrides: Partial<Record<keyof SsoSettingsInput, unknown>> = {}): SsoSettingsInput {
  return ssoSettingsSchema.parse({
    enabled: true,
    providerName: 'Test IdP',
    issuerUrl: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    allowPasswordSignIn: true,
    ...overrides,
  });
}

/** Saves SSO settings pointing at the test provider (switched on) and returns the config the sign-in uses. */
export async function configureSso(provider: Pick<TestOidcProvider, 'issuer' | 'clientId' | 'clientSecret'>, overrides: Partial<Record<keyof SsoSettingsInput, unknown>> = {}): Promise<SsoConfig> {
  await saveSsoSettings(ssoInput(provider, overrides), SSO_ADMIN, SSO_CLIENT);
  const config = await loadSsoConfig();
  if (!config) throw new Error('SSO is not switched on');
  return config;
}
