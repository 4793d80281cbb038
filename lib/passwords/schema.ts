import { z } from 'zod';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

const codePoints = (v: string) => [...v].length;

/** New-password rules (NIST SP 800-63B): length in code points only, no composition rules. */
export const passwordField = z
  .string()
  .refine((v) => codePoints(v) >= PASSWORD_MIN, { message: `Use at least ${PASSWORD_MIN} characters.` })
  .refine((v) => codePoints(v) <= PASSWORD_MAX, { message: `Use at most ${PASSWORD_MAX} characters.` });

type Passwords = { password: string; confirmPassword: string };

/**
 * A form that sets a new password: `password` with the rules above and `confirmPassword` that must
 * match, next to the form's other fields.
 */
export function confirmedPasswordSchema<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, password: passwordField, confirmPassword: z.string().max(1024) })
    .refine((v) => (v as Passwords).password === (v as Passwords).confirmPassword, {
      path: ['confirmPassword'],
      message: 'The passwords do not match.',
    });
}
