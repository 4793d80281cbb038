import 'server-only';
import { isCommonPassword } from './common-passwords';
import { checkNewPassword } from './index';

/** Shorter names and local parts are not checked: they would refuse too many good passwords. */
const MIN_IDENTITY_LENGTH = 4;

export const PASSWORD_PROBLEMS = {
  common: 'This password is too common: it is on a list of passwords attackers try first. Choose another, such as a few unrelated words.',
  username: 'Do not include your username in your password.',
  email: 'Do not include your email address in your password.',
} as const;

/**
 * Every rule for an end user's new password: 12 to 128 code points, not a common password, and not
 * containing the username, the email or the email's local part (case-insensitive). Returns the
 * first problem as a sentence, or undefined when the password is acceptable.
 */
export function checkUserPassword(password: string, identity: { username: string; email: string }): string | undefined {
  const lengthProblem = checkNewPassword(password);
  if (lengthProblem) return lengthProblem;
  if (isCommonPassword(password)) return PASSWORD_PROBLEMS.common;
  const lower = password.toLowerCase();
  const contains = (part: string) => part.length >= MIN_IDENTITY_LENGTH && lower.includes(part.toLowerCase());
  if (contains(identity.username.trim())) return PASSWORD_PROBLEMS.username;
  const email = identity.email.trim();
  const localPart = email.slice(0, Math.max(0, email.lastIndexOf('@')));
  if (contains(email) || contains(localPart)) return PASSWORD_PROBLEMS.email;
  return undefined;
}
