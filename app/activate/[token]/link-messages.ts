import type { LinkProblem } from '@/lib/passwords/redeem-password-link';

const ASK = 'Ask your administrator to resend the invitation: the new email has a fresh link.';

/** Why an activation link can't be used, and how to get a new one. Says nothing about the account. */
export const ACTIVATION_LINK_PROBLEMS: Record<LinkProblem, { title: string; text: string }> = {
  used: {
    title: 'This activation link was already used',
    text: `Each activation link works once. If you activated your account with it, sign in with your password. Otherwise: ${ASK}`,
  },
  expired: { title: 'This activation link has expired', text: `Activation links stop working after the date given in the email. ${ASK}` },
  invalidated: {
    title: 'This activation link is no longer valid',
    text: `A newer invitation replaced it, or it was withdrawn. Use the link in the most recent invitation email, or: ${ASK}`,
  },
  unknown: {
    title: 'This activation link is not valid',
    text: `Check that you opened the whole link from the invitation email. If it still does not work: ${ASK}`,
  },
};
