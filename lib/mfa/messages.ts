import 'server-only';

/** What a user reads when the factor is locked after too many wrong codes. */
export const LOCKED_MESSAGE =
  'Two-factor verification is locked after too many wrong codes. Ask your administrator to unlock it.';
