import { z } from 'zod';

/**
 * The Users list filter. It lives in the URL (so views can be shared) and selects the users a bulk
 * action applies to when the admin picks "all that match". Shared by client and server code.
 */
export const userFilterSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  source: z.enum(['manual', 'directory']).optional().catch(undefined),
  status: z.enum(['invited', 'active', 'disabled']).optional().catch(undefined),
  mfa: z.enum(['enrolled', 'not_enrolled', 'locked']).optional().catch(undefined),
  phone: z.enum(['problem', 'ok', 'country_assumed', 'missing_country_code', 'invalid', 'missing']).optional().catch(undefined),
  code: z.enum(['valid', 'none']).optional().catch(undefined),
});

export type UserFilter = z.infer<typeof userFilterSchema>;

export const USER_SORTS = ['created', 'name', 'email', 'status'] as const;
export type UserSort = (typeof USER_SORTS)[number];

/** Reads a filter from URL search params, dropping anything unknown. */
export function parseUserFilter(params: Record<string, string | string[] | undefined>): UserFilter {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  return userFilterSchema.parse(flat);
}

export function userFilterToParams(filter: UserFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, String(v));
  return params;
}
