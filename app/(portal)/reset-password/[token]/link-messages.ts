import type { LinkProblem } from '@/lib/passwords/redeem-password-link';

const ASK = 'Ask for a new link on the “Forgot password” page.';

/** Why a reset link can't be used, and how to get a new one. Says nothing about the account. */
export const RESET_LINK_PROBLEMS: Record<LinkProblem, { title: string; text: string }> = {
  used: { title: 'This reset link was already used', text: `Each reset link works once. If you already chose a new password, sign in with it. Otherwise: ${ASK}` },
  expired: { title: 'This reset link has expired', text: `Reset links work for one hour. ${ASK}` },
  invalidated: {
    title: 'This reset link is no longer valid',
    text: `A newer request replaced it, or it was withdrawn. Use the link in the most recent email, or: ${ASK}`,
  },
  unknown: { title: 'This reset link is not valid', text: `Check that you opened the whole link from the email. If it still does not work: ${ASK}` },
};
