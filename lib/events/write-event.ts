import 'server-only';
import { schema, type Executor } from '@/db/client';
import { now } from '@/lib/clock';
import type { EventKind } from './event-types';
import { findSecretFields } from './secret-fields';

export interface Actor {
  type: 'admin' | 'user' | 'system' | 'client' | 'anonymous';
  id?: string | null;
  /** What the admin sees: an email or a name, never a secret. */
  label?: string | null;
}

export interface EventInput {
  kind: EventKind;
  actor: Actor;
  outcome?: 'success' | 'failure';
  subjectUserId?: string | null;
  deviceId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', label: 'Onramp' };

export class SecretInEventError extends Error {
  constructor(readonly fields: string[]) {
    super(`Refusing to store an event with secret-looking fields: ${fields.join(', ')}`);
    this.name = 'SecretInEventError';
  }
}

const MAX_TEXT = 512;
const clip = (v: string | null | undefined) => (v == null ? null : v.slice(0, MAX_TEXT));

/**
 * Appends one event. Pass the transaction of the change it records, so both commit or neither does.
 * This is the only writer of the events table.
 */
export async function writeEvent(db: Executor, input: EventInput): Promise<void> {
  await writeEvents(db, [input]);
}

/** Appends many events in batched inserts (bulk actions), with the same checks as writeEvent. */
export async function writeEvents(db: Executor, inputs: EventInput[]): Promise<void> {
  const at = now();
  const rows = inputs.map((input) => toRow(input, at));
  for (let i = 0; i < rows.length; i += 1000) await db.insert(schema.events).values(rows.slice(i, i + 1000));
}

function toRow(input: EventInput, at: Date) {
  const details = input.details ?? {};
  const secrets = findSecretFields(details);
  if (secrets.length > 0) throw new SecretInEventError(secrets);
  return {
    occurredAt: at,
    type: input.kind.type,
    subType: input.kind.subType,
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    actorLabel: clip(input.actor.label),
    subjectUserId: input.subjectUserId ?? null,
    deviceId: input.deviceId ?? null,
    ip: clip(input.ip),
    userAgent: clip(input.userAgent),
    outcome: input.outcome ?? 'success',
    details,
  };
}
