import { z } from 'zod';
import { confirmedPasswordSchema } from '@/lib/passwords/schema';

/** A link token as it arrives from the URL (kept in a hidden field). */
export const linkTokenField = z.string().min(10).max(200);

/** The activation form (shared by the form and its action). */
export const activationSchema = confirmedPasswordSchema({ token: linkTokenField });
export type ActivationInput = z.infer<typeof activationSchema>;
