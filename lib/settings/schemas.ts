import { z } from 'zod';

/** An HTML checkbox: present ("on") when ticked, absent when not. */
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === 'true');

export const MAX_CODE_LIFETIME_HOURS = 7 * 24;

/** The User Provisioning form (shared by the form and its action). */
export const provisioningSchema = z
  .object({
    provisioningMethod: z.enum(['invitation', 'registration_code'], { error: 'Choose a provisioning method.' }),
    inviteManualUsers: checkbox,
    inviteDirectoryUsers: checkbox,
    notifyDisabledUsers: checkbox,
    invitationLifetimeDays: z.coerce
      .number({ error: 'Enter a number of days.' })
      .int('Enter a whole number of days.')
      .min(1, 'Invitation links must stay valid for at least 1 day.')
      .max(30, 'Invitation links can stay valid for at most 30 days.'),
    codeLifetimeValue: z.coerce.number({ error: 'Enter a number.' }).int('Enter a whole number.').min(1, 'Enter at least 1.'),
    codeLifetimeUnit: z.enum(['hours', 'days'], { error: 'Choose hours or days.' }),
  })
  .refine((v) => v.codeLifetimeValue * (v.codeLifetimeUnit === 'days' ? 24 : 1) <= MAX_CODE_LIFETIME_HOURS, {
    path: ['codeLifetimeValue'],
    message: 'Registration codes can be valid for at most 7 days (168 hours).',
  });

export type ProvisioningInput = z.infer<typeof provisioningSchema>;
