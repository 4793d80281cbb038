import 'server-only';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with a random per-password salt (the library's default algorithm); OWASP's parameters. */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Spend comparable time so a missing account or password is not visible by timing.
    await hash(password, OPTIONS);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Length in code points, so emoji and other astral characters count once. */
export function passwordLength(password: string): number {
  return [...password].length;
}

/** Rules for a new password (NIST SP 800-63B): length only, no composition rules. */
export function checkNewPassword(password: string): string | undefined {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters (this has ${length}).`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters (this has ${length}).`;
  return undefined;
}

export { checkUserPassword, PASSWORD_PROBLEMS } from './check-user-password';
export { isCommonPassword, COMMON_PASSWORD_COUNT } from './common-passwords';
