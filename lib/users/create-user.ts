import 'server-only';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { inviteUser } from '@/lib/invitations';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import { parseEnteredPhone } from './phone-input';
import type { UserFormInput } from './schemas';
import { uniqueViolationToInput } from './user-errors';

export interface CreatedUser {
  id: string;
  /** What happened to the invitation email, when one was due. */
  invitation: 'not_sent' | 'sent' | { failed: string };
}

/**
 * Creates a manual user (status invited: no password yet). With the Invitation Email method and
 * "send invitations to new users created in the admin console" on, the invitation goes out once the
 * user is committed; a delivery failure is reported, not fatal (the admin can resend).
 */
export async function createManualUser(input: UserFormInput, actor: Actor, client: ClientInfo): Promise<CreatedUser> {
  const phone = parseEnteredPhone(input.phone);
  const username = input.username ?? input.email;
  let id: string;
  try {
    id = await getDb().transaction(async (tx) => {
      const [row] = await tx
        .insert(schema.users)
        .values({
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
          username,
          source: 'manual',
          status: 'invited',
          phoneE164: phone.e164,
          phoneStatus: phone.status,
          phoneRaw: phone.raw,
          createdAt: now(),
          updatedAt: now(),
        })
        .returning({ id: schema.users.id });
      await writeEvent(tx, {
        kind: EVENT.userCreated,
        actor,
        subjectUserId: row!.id,
        ip: client.ip,
        userAgent: client.userAgent,
        details: { email: input.email, username, source: 'manual', phone: phone.e164 },
      });
      return row!.id;
    });
  } catch (error) {
    throw uniqueViolationToInput(error) ?? error;
  }
  const settings = await getAccountSettings();
  if (settings.provisioningMethod !== 'invitation' || !settings.inviteManualUsers) return { id, invitation: 'not_sent' };
  const sent = await inviteUser(id, { actor, client, resend: false });
  return { id, invitation: sent.ok ? 'sent' : { failed: sent.reason } };
}
