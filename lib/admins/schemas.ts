import { z } from 'zod';
import { passwordField } from '@/lib/passwords/schema';

/** The first-admin setup form (shared by the form and its action). */
export const setupSchema = z
  .object({
    token: z.string().min(10).max(200),
    name: z.string().trim().min(1, 'Enter your name.').max(200, 'Use at most 200 characters.'),
    email: z.email('Enter a valid email address.').max(254),
    password: passwordField,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match.' });
