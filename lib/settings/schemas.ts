import { z } from 'zod';
import { getCountries } from 'libphonenumber-js';

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

/** The calling-code countries libphonenumber knows (ISO 3166 alpha-2): what the SMS allow-list may hold. */
const SMS_COUNTRIES: ReadonlySet<string> = new Set(getCountries());

const perHour = (one: string, many: string) =>
  z.coerce
    .number({ error: 'Enter a number.' })
    .int('Enter a whole number.')
    .min(1, `Allow at least 1 ${one} per hour.`)
    .max(10_000, `Allow at most 10,000 ${many} per hour.`);

/** The Two-Factor Authentication form (shared by the form and its action). */
export const mfaSettingsSchema = z.object({
  mfaPolicy: z.enum(['off', 'sms_required'], { error: 'Choose a policy.' }),
  mfaRememberDays: z.coerce
    .number({ error: 'Enter a number of days.' })
    .int('Enter a whole number of days.')
    .min(0, 'Enter 0 (never) or more days.')
    .max(30, 'A device can be remembered for at most 30 days.'),
  /** Repeated field; empty means every country. Stored upper-case, unique, sorted. */
  smsAllowedCountries: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.string().trim().toUpperCase().refine((c) => SMS_COUNTRIES.has(c), 'Choose countries from the list.'))
      .max(SMS_COUNTRIES.size)
      .transform((list) => [...new Set(list)].sort()),
  ),
  smsSendsPerIpPerHour: perHour('SMS code', 'SMS codes'),
  mfaFailuresPerIpPerHour: perHour('wrong code', 'wrong codes'),
});

export type MfaSettingsInput = z.infer<typeof mfaSettingsSchema>;

/** The event log's retention form (shared by the form and its action). */
export const eventSettingsSchema = z.object({
  eventRetentionDays: z.coerce
    .number({ error: 'Enter a number of days.' })
    .int('Enter a whole number of days.')
    .min(7, 'Keep events for at least 7 days.')
    .max(3650, 'Keep events for at most 3,650 days (10 years).'),
});

export type EventSettingsInput = z.infer<typeof eventSettingsSchema>;
