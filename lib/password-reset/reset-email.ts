import 'server-only';
import { composeEmail, formatEmailDate, greetingFor, type ComposedEmail } from '@/lib/invitations/email-format';

/** The password-reset email: the username, the link and when it expires. */
export function composePasswordResetEmail(input: {
  organisationName: string;
  firstName: string;
  username: string;
  link: string;
  expiresAt: Date;
}): ComposedEmail {
  const org = input.organisationName;
  return composeEmail({
    subject: `Reset your ${org} VPN portal password`,
    greeting: greetingFor(input.firstName),
    intro: [`Someone asked to reset the password of your ${org} VPN account. If it was you, choose a new password with the link below.`],
    facts: [['Your username', input.username]],
    link: { label: 'Choose a new password', url: input.link },
    outro: [
      `This link works once and expires on ${formatEmailDate(input.expiresAt)}. Choosing a new password signs you out everywhere else.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ],
  });
}
