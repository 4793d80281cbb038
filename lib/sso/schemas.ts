import { z } from 'zod';

/** Shared by the SSO settings form (client) and its actions (server): no server-only imports here. */

/** An HTML checkbox ("on" when ticked, absent when not) or a boolean. */
const checkbox = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true');

const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const claim = (what: string, fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || fallback)
    .refine((v) => CLAIM.test(v), `Enter the name of the claim that carries the ${what}, for example ${fallback}.`);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http on loopback only (a test provider); no query or fragment (RFC 8414 / OIDC Discovery). */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter the issuer URL, for example https://login.example.com/realms/staff.';
  }
  if (url.search || url.hash) return 'The issuer URL has no query or fragment (?… or #…).';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return null;
  return 'The issuer URL must start with https:// (http:// is allowed only for a test provider on this machine).';
}

export const DEFAULT_SCOPES = 'openid email profile';

/** The single sign-on settings form. An empty client secret keeps the stored one. */
export const ssoSettingsSchema = z
  .object({
    enabled: checkbox,
    providerName: z.string({ error: 'Enter the name shown on the sign-in button.' }).trim().min(1, 'Enter the name shown on the sign-in button, for example Okta.').max(60, 'Keep the name under 60 characters.'),
    issuerUrl: z
      .string({ error: 'Enter the issuer URL.' })
      .trim()
      .transform((v) => v.replace(/\/+$/, ''))
      .superRefine((v, ctx) => {
        const problem = issuerProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    clientId: z.string({ error: 'Enter the client id.' }).trim().min(1, 'Enter the client id the identity provider gave Onramp.'),
    clientSecret: z
      .string()
      .optional()
      .nullable()
      .transform((v) => v || null),
    scopes: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v || DEFAULT_SCOPES).split(/\s+/).filter(Boolean).join(' '))
      .refine((v) => v.split(' ').includes('openid'), 'The scopes must include openid.'),
    emailClaim: claim('email address', 'email'),
    usernameClaim: claim('username', 'preferred_username'),
    allowPasswordSignIn: checkbox,
    createUsers: checkbox,
    requireSmsMfa: checkbox,
  });

export type SsoSettingsInput = z.output<typeof ssoSettingsSchema>;

/** Where the SSO sign-in returns to after the identity provider: the safe `next` of the login page. */
export const startSsoSignInSchema = z.object({ next: z.string().optional() });
