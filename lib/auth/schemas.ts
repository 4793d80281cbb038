import { z } from 'zod';

/** Shared by the sign-in forms and their actions. */
export const signInSchema = z.object({
  identifier: z.string().trim().min(1, 'Enter your email address.').max(254, 'That is too long for an email address or username.'),
  password: z.string().min(1, 'Enter your password.').max(1024, 'That password is too long.'),
  next: z.string().max(2048).optional(),
});

export type SignInInput = z.infer<typeof signInSchema>;

/** Only same-site paths of the realm are followed after sign-in (no open redirects). */
export function safeNextPath(realm: 'admin' | 'user', next: string | undefined): string {
  const home = realm === 'admin' ? '/admin' : '/';
  // Control characters too: URL parsers drop tab/CR/LF, so '/\t/evil.com' resolves to //evil.com.
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f\u007f]/.test(next)) return home;
  const isAdminPath = next === '/admin' || next.startsWith('/admin/');
  if (realm === 'admin' ? !isAdminPath || next.startsWith('/admin/login') : isAdminPath || next.startsWith('/login')) return home;
  return next;
}
