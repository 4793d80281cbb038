import { z } from 'zod';
import { linkTokenField } from '@/lib/invitations/schemas';
import { confirmedPasswordSchema } from '@/lib/passwords/schema';

/** The forgot-password form (shared by the form and its action). */
export const forgotPasswordSchema = z.object({
  email: z.string().trim().max(254, 'That is too long for an email address.').pipe(z.email('Enter your email address, like name@example.com.')),
});
export type ForgotPasswordInput = z.infer<typeof forgotPasswordSchema>;

/** The reset-password form reached from the emailed link. */
export const resetPasswordSchema = confirmedPasswordSchema({ token: linkTokenField });
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

/** The signed-in change-password form. */
export const changePasswordSchema = confirmedPasswordSchema({
  currentPassword: z.string().min(1, 'Enter your current password.').max(1024, 'That password is too long.'),
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
