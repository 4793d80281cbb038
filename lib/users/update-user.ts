import 'server-only';
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { now } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { EVENT, writeEvent, type Actor } from '@/lib/events';
import type { ClientInfo } from '@/lib/request';
import { parseEnteredPhone } from './phone-input';
import type { UserFormInput } from './schemas';
import { UserInputError, uniqueViolationToInput } from './user-errors';

const FIELDS = ['firstName', 'lastName', 'email', 'username', 'phoneE164'] as const;

/**
 * Updates a manual user's details and records before/after values of what changed. Directory users
 * are managed by the sync: their details can't be edited here.
 */
export async function updateManualUser(
  userId: string,
  input: UserFormInput,
  actor: Actor,
  client: ClientInfo,
): Promise<{ changed: string[] }> {
  const phone = parseEnteredPhone(input.phone);
  const u = schema.users;
  try {
    return await getDb().transaction(async (tx) => {
      const [current] = await tx.select().from(u).where(eq(u.id, userId)).for('update');
      if (!current) throw new UserInputError('form', 'This user no longer exists.');
      if (current.source === 'directory') {
        throw new UserInputError('form', 'This user comes from the directory: change their details in the directory; the next sync brings them here.');
      }
      const next = {
        firstName: input.firstName,
        lastName: input.lastName,
        email: input.email,
        username: input.username ?? current.username,
        phoneE164: phone.e164,
      };
      const changed = FIELDS.filter((f) => next[f] !== current[f]);
      if (changed.length === 0) return { changed };
      await tx
        .update(u)
        .set({ ...next, phoneStatus: phone.status, phoneRaw: phone.raw, phoneSource: null, updatedAt: now() })
        .where(eq(u.id, userId));
      await writeEvent(tx, {
        kind: EVENT.userUpdated,
        actor,
        subjectUserId: userId,
        ip: client.ip,
        userAgent: client.userAgent,
        details: {
          email: next.email,
          changes: Object.fromEntries(changed.map((f) => [f, { before: current[f], after: next[f] }])),
        },
      });
      return { changed };
    });
  } catch (error) {
    throw uniqueViolationToInput(error) ?? error;
  }
}
