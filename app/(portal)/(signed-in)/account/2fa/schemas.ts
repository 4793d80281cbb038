import { z } from 'zod';

/*
 * The /account/2fa forms, each shared by its form and its action. The flow and its step live in the
 * URL (?flow=change&step=number…) so refresh and back work; twoFactorPath builds those URLs.
 */

export const TWO_FACTOR_PATH = '/account/2fa';

/**
 * change: a new number for an existing factor; setup: a factor where there is none; remove: the factor
 * goes. Each starts with the password again (or a fresh sign-in at the identity provider) unless this
 * session re-authenticated in the last 10 minutes: binding or dropping an authenticator needs it.
 */
export const FLOWS = ['change', 'setup', 'remove'] as const;
export type Flow = (typeof FLOWS)[number];
/** The flows that send a code to a number. */
export const CODE_FLOWS = ['change', 'setup'] as const;
export type CodeFlow = (typeof CODE_FLOWS)[number];
export const STEPS = ['password', 'number', 'code', 'confirm'] as const;
export type Step = (typeof STEPS)[number];

/** Status messages shown on the overview after a flow ends (?notice=…). */
export const NOTICES = {
  'phone-changed': 'Your 2FA phone number was changed. We sent a notice to your previous number.',
  enrolled: 'Two-factor authentication is set up. Sign-in codes will go to this number.',
  removed: 'Two-factor authentication was removed from your account.',
  'browser-forgotten': 'The browser was forgotten. It will be asked for a code at its next sign-in.',
} as const;
export type Notice = keyof typeof NOTICES;

export function twoFactorPath(params: { flow?: Flow; step?: Step; phone?: string; notice?: Notice; reason?: 'reauth-expired' | 'code-sent' } = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  return query.size ? `${TWO_FACTOR_PATH}?${query}` : TWO_FACTOR_PATH;
}

/** The step a flow goes on to once the password (or the provider's sign-in) was confirmed. */
export const stepAfterReauthentication = (flow: Flow): Step => (flow === 'remove' ? 'confirm' : 'number');

export function afterReauthenticationPath(flow: Flow, phone?: string): string {
  return twoFactorPath({ flow, step: stepAfterReauthentication(flow), phone });
}

const START_AGAIN = 'Start again from the 2FA settings page.';
const flowField = z.enum(FLOWS, { error: START_AGAIN });
const codeFlowField = z.enum(CODE_FLOWS, { error: START_AGAIN });
/** E.164 as the phone picker sends it, or empty (setup: use the previous number). */
const phoneField = z
  .string()
  .trim()
  .max(32, 'That is too long for a phone number.')
  .regex(/^(\+[0-9]*)?$/, 'This number has no country code. Choose the country in the list, then type the number.');

/** Step 1 of each flow: the current password again. `phone` carries a number typed before the re-authentication ran out. */
export const reauthenticateSchema = z.object({
  flow: flowField,
  password: z.string().min(1, 'Enter your password.').max(1024, 'That password is too long.'),
  phone: phoneField.optional(),
});
export type ReauthenticateInput = z.infer<typeof reauthenticateSchema>;

/** Step 1 for users without a password: "Confirm with <provider>" (a fresh sign-in there). */
export const ssoReauthenticateSchema = z.object({ flow: flowField, phone: phoneField.optional() });
export type SsoReauthenticateInput = z.infer<typeof ssoReauthenticateSchema>;

/**
 * Step 2 (change) or 1 (setup): the number the code goes to. Empty in setup means the previous number.
 * The code step's "Send a new code" posts the same form with resend=1.
 */
export const sendCodeSchema = z.object({
  flow: codeFlowField,
  phone: phoneField.default(''),
  resend: z
    .string()
    .optional()
    .transform((value) => value === '1'),
});
export type SendCodeInput = z.infer<typeof sendCodeSchema>;

/** The last step: the 6-digit code from the text message (spaces are ignored). */
export const verifyCodeSchema = z.object({
  flow: codeFlowField,
  phone: phoneField.default(''),
  code: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, ''))
    .pipe(z.string().min(1, 'Enter the code from the text message.').regex(/^\d{6}$/, 'The code is 6 digits, like 123456.')),
});
export type VerifyCodeInput = z.infer<typeof verifyCodeSchema>;

/** Remove the factor (the remove flow's last step). */
export const removeFactorSchema = z.object({});

/** Forget one remembered browser. */
export const forgetBrowserSchema = z.object({ browserId: z.uuid('That browser is not in your list.') });
export type ForgetBrowserInput = z.infer<typeof forgetBrowserSchema>;
