import { z } from 'zod';

/**
 * The admin Registration Codes list and its forms. Shared by client and server code (no server-only):
 * the filter lives in the URL, and each form's schema is shared by the form and its action.
 */
export const CODE_STATUSES = ['valid', 'used', 'expired', 'revoked'] as const;
/** What the admin sees: a valid code whose time is up reads 'expired' even before the sweep marks it. */
export type CodeStatus = (typeof CODE_STATUSES)[number];

export const CODE_STATUS_LABELS: Record<CodeStatus, string> = { valid: 'Valid', used: 'Used', expired: 'Expired', revoked: 'Revoked' };

export const CODE_PAGE_SIZE = 50;

export const codeListQuerySchema = z.object({
  status: z.enum(CODE_STATUSES).optional().catch(undefined),
  /** The beginning of the user's email address. */
  q: z
    .string()
    .trim()
    .max(254)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export type CodeListQuery = z.output<typeof codeListQuerySchema>;
export type CodeFilter = Pick<CodeListQuery, 'status' | 'q'>;

/** Reads the list's filter and page from URL search params; anything unknown or invalid falls back. */
export function parseCodeListQuery(params: Record<string, string | string[] | undefined>): CodeListQuery {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  return codeListQuerySchema.parse(flat);
}

/** The list's URL; defaults (no filter, page 1) are left out so shared links stay short. */
export function codeListHref(query: Partial<CodeListQuery>): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.q) params.set('q', query.q);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return search ? `/admin/registration-codes?${search}` : '/admin/registration-codes';
}

/** The Revoke form: the codes selected on the page (`ids` arrive as a repeated field). */
export const revokeCodesSchema = z.object({
  ids: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.uuid('Unknown registration code.')).min(1, 'Select at least one code.').max(CODE_PAGE_SIZE, `Select at most ${CODE_PAGE_SIZE} codes.`),
  ),
});

/**
 * The "Generate Registration Code For New Users" form: the confirmation dialog submits `confirm`, so
 * a bare POST to the action (no form) generates nothing.
 */
export const generateForNewUsersSchema = z.object({ confirm: z.literal('generate', 'Confirm the generation first.') });
