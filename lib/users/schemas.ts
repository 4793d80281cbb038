import { z } from 'zod';

const name = (label: string) => z.string().trim().min(1, `Enter the ${label}.`).max(100, `Use at most 100 characters for the ${label}.`);

/** The admin's create/edit user form (shared by the form and its actions). */
export const userFormSchema = z.object({
  firstName: name('first name'),
  lastName: name('last name'),
  email: z.string().trim().max(254, 'That email address is too long.').pipe(z.email('Enter a valid email address, like name@example.com.')),
  username: z
    .string()
    .trim()
    .max(254, 'Use at most 254 characters.')
    .regex(/^[^\s]*$/, 'A username cannot contain spaces.')
    .optional()
    .transform((v) => v || undefined),
  /** E.164 from the phone input, or empty. The server validates and explains problems. */
  phone: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => v || undefined),
});

export type UserFormInput = Omit<z.infer<typeof userFormSchema>, 'username' | 'phone'> & { username?: string; phone?: string };

export const BULK_ACTIONS = ['resend_invitation', 'generate_code', 'reset_password', 'disable', 'enable', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const BULK_ACTION_LABELS: Record<BulkAction, string> = {
  resend_invitation: 'Resend invitation',
  generate_code: 'Generate registration code',
  reset_password: 'Reset password',
  disable: 'Disable',
  enable: 'Enable',
  delete: 'Delete',
};

export const userIdSchema = z.object({ userId: z.uuid('Unknown user.') });

export const MFA_OVERRIDES = ['default', 'required', 'exempt'] as const;
export type MfaOverride = (typeof MFA_OVERRIDES)[number];

/** The user page's "Two-factor requirement" form. */
export const mfaOverrideSchema = userIdSchema.extend({
  mfaOverride: z.enum(MFA_OVERRIDES, { error: 'Choose whether this user follows the policy, must use two-factor, or is exempt.' }),
});

/** The Users list's bulk action form. `ids` arrive as a repeated field. */
export const bulkActionSchema = z
  .object({
    action: z.enum(BULK_ACTIONS, { error: 'Choose an action.' }),
    scope: z.enum(['ids', 'filter']),
    ids: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.uuid()).max(100_000)),
    q: z.string().optional(),
    source: z.string().optional(),
    status: z.string().optional(),
    mfa: z.string().optional(),
    phone: z.string().optional(),
    code: z.string().optional(),
  })
  .refine((v) => v.scope === 'filter' || v.ids.length > 0, { path: ['ids'], message: 'Select at least one user.' });
