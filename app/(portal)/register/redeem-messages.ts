import type { RedeemResult } from '@/lib/registration-codes';

type Refusal = Exclude<RedeemResult, { ok: true }>;

const NEW_CODE = 'ask your administrator for a new code.';

/** Problems with the code itself: shown under the code field. */
const CODE_PROBLEMS = {
  invalid_code_format:
    'That is not a registration code. Codes use letters A–Z without I, L, O and digits 2–9 (so no 0 or 1); case, spaces and dashes don’t matter.',
  code_not_found: 'There is no such registration code. Check it against the one you were given and try again.',
  code_used: `That registration code was already used: each code registers one device. To register another device, ${NEW_CODE}`,
  code_expired: `That registration code has expired: ${NEW_CODE}`,
  code_revoked: `That registration code was withdrawn: ${NEW_CODE}`,
} as const;

/** What the /register form says about a refused redemption, and where. Never names another account. */
export function describeRefusal(refusal: Refusal): { field: 'code'; message: string } | { field?: undefined; message: string } {
  switch (refusal.code) {
    case 'rate_limited': {
      const minutes = Math.max(1, Math.ceil(refusal.retryAfterSeconds / 60));
      return { message: `Too many attempts. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, then try again.` };
    }
    case 'user_disabled':
      return { message: 'The account this code belongs to is disabled, so it can’t register devices. Contact your administrator.' };
    default:
      return { field: 'code', message: CODE_PROBLEMS[refusal.code] };
  }
}
