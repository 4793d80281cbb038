import 'server-only';
import { composeEmail, greetingFor, type ComposedEmail } from './email-format';

export type AccountNoticeKind = 'disabled';

/** Notices that tell a user what an admin did to their account. */
export function composeAccountNotice(
  kind: AccountNoticeKind,
  input: { organisationName: string; firstName: string; username: string },
): ComposedEmail {
  const org = input.organisationName;
  switch (kind) {
    case 'disabled':
      return composeEmail({
        subject: `Your ${org} VPN account has been disabled`,
        greeting: greetingFor(input.firstName),
        intro: [`An administrator of ${org} has disabled your VPN account. You can no longer sign in to the VPN portal or connect with your devices.`],
        facts: [['Your username', input.username]],
        outro: ['If you think this is a mistake, contact your administrator.'],
      });
  }
}
