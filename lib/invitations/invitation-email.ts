import 'server-only';
import { composeEmail, formatEmailDate, greetingFor, type ComposedEmail } from './email-format';

/** The invitation: who invites, the username, the activation link and when it expires. */
export function composeInvitationEmail(input: {
  organisationName: string;
  firstName: string;
  username: string;
  link: string;
  expiresAt: Date;
}): ComposedEmail {
  const org = input.organisationName;
  return composeEmail({
    subject: `Activate your ${org} VPN account`,
    greeting: greetingFor(input.firstName),
    intro: [`${org} has created a VPN account for you. Choose a password to activate it.`],
    facts: [
      ['Organisation', org],
      ['Your username', input.username],
    ],
    link: { label: 'Activate your account', url: input.link },
    outro: [
      `This link works once and expires on ${formatEmailDate(input.expiresAt)}. If it has expired, ask your administrator to send you a new invitation.`,
      'If you did not expect this email, you can ignore it.',
    ],
  });
}
