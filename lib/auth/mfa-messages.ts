import type { VerifyChallengeResult } from '@/lib/mfa/contract';

/* Pure (no database), so the wording can be unit-tested. */

export const LOCKED_MESSAGE =
  'Verification by text message is locked for your account after too many wrong codes. Contact your administrator to unlock it.';

/** Plain words for a refused code, saying what to do next. */
export function describeVerifyProblem(result: Extract<VerifyChallengeResult, { ok: false }>): string {
  switch (result.problem) {
    case 'wrong_code': {
      const left = result.attemptsLeft ?? 0;
      if (left <= 0) return 'That code is wrong, and it can’t be tried again. Send a new code.';
      return `That code is wrong. ${left} attempt${left === 1 ? '' : 's'} left.`;
    }
    case 'too_many_attempts':
      return 'That code was entered wrongly too many times. Send a new code.';
    case 'expired':
      return 'That code has expired. Send a new code.';
    case 'no_challenge':
      return 'There is no code waiting to be entered. Send a new code.';
    case 'locked':
      return LOCKED_MESSAGE;
    default:
      return result.message;
  }
}
