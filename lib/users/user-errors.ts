import { uniqueViolation } from '@/lib/db';

/** A refused change with the form field it concerns, so the action can show it next to that field. */
export class UserInputError extends Error {
  constructor(
    readonly field: 'email' | 'username' | 'phone' | 'mfaOverride' | 'form',
    message: string,
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

/** Postgres unique violation on one of the users' unique indexes → a field error. */
export function uniqueViolationToInput(error: unknown): UserInputError | undefined {
  const violation = uniqueViolation(error);
  if (!violation) return undefined;
  const name = violation.constraint;
  if (name.includes('email')) return new UserInputError('email', 'Another user already has this email address.');
  if (name.includes('username')) return new UserInputError('username', 'Another user already has this username.');
  return new UserInputError('form', 'Another user already has these details.');
}
