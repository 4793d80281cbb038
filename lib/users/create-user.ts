import 'server-only';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import { inviteUser } from '@/lib/invitations';
import { errorFields, log } from '@/lib/log';
import { generateCodes } from '@/lib/registration-codes/generate-codes';
import type { ClientInfo } from '@/lib/request';
import { getAccountSettings } from '@/lib/settings';
import { parseEnteredPhone } from './phone-input';
import type { UserFormInput } from './schemas';
import { uniqueViolationToInput } from './user-errors';

export interface CreatedUser {
  id: string;
  /** What happened to the invitation email, when one was due. */
  invitation: 'not_sent' | 'sent' | { failed: string };
  /** Whether the user got a registration code (the Registration Code method). */
  code: 'not_generated' | 'generated' | 'failed';
}

/** The first code of a user created under the Registration Code method; a failure is reported, not fatal. */
async function generateFirstCode(userId: string, actor: Actor, client: ClientInfo): Promise<CreatedUser['code']> {
  try {
    return (await generateCodes([userId], actor, client)) === 1 ? 'generated' : 'failed';
  } catch (error) {
    log.error('registration code for a new user failed', { userId, ...errorFields(error) });
    return 'failed';
  }
}

/**
 * Creates a manual user (status invited: no password yet). Once the user is committed:
 * - with the Invitation Email method and "send invitations to new users created in the admin
 *   console" on, the invitation goes out; a delivery failure is reported, not fatal (the admin can resend);
 * - with the Registration Code method, the user gets a registration code; a failure is reported too
 *   (the admin can generate one from the Users list).
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
  if (settings.provisioningMethod === 'registration_code') return { id, invitation: 'not_sent', code: await generateFirstCode(id, actor, client) };
  if (!settings.inviteManualUsers) return { id, invitation: 'not_sent', code: 'not_generated' };
  const sent = await inviteUser(id, { actor, client, resend: false });
  return { id, invitation: sent.ok ? 'sent' : { failed: sent.reason }, code: 'not_generated' };
}
