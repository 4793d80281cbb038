import { z } from 'zod';

/* Shared by the /login/verify forms and their actions. */

const next = z.string().max(2048).optional();

/** The 6-digit code; spaces and dashes people copy from the message are ignored. */
export const verifyCodeSchema = z.object({
  purpose: z.enum(['sign_in', 'enrol']),
  code: z
    .string()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from the text message.')),
  remember: z.literal('on').optional(),
  next,
});

/** Enrolment's first send: the number typed with its country (E.164 from the picker). */
export const sendEnrolCodeSchema = z.object({
  phone: z.string().trim().max(32, 'That is too long for a phone number.').optional(),
  next,
});

/** "Resend" / "Send a new code" for the session's sign-in or enrolment code. */
export const resendCodeSchema = z.object({ purpose: z.enum(['sign_in', 'enrol']), next });

export type VerifyCodeInput = z.infer<typeof verifyCodeSchema>;
