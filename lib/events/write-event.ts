import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { prepareCopy, type PreparedCopy } from '@/lib/db';
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

/** Events per statement: one JSON parameter each, so 100,000 events are 20 statements. */
const CHUNK = 5000;

/**
 * Appends many events (bulk actions, the directory sync), with the same checks as writeEvent. Each chunk is
 * one hand-written INSERT … SELECT from a JSON array: no per-row query building, so 100,000 events cost
 * about what PostgreSQL needs to store them.
 */
export async function writeEvents(db: Executor, inputs: EventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const at = now().toISOString();
  for (let i = 0; i < inputs.length; i += CHUNK) {
    const rows = inputs.slice(i, i + CHUNK).map(toRow);
    await db.execute(sql`insert into events (occurred_at, type, sub_type, actor_type, actor_id, actor_label, subject_user_id, device_id, ip, user_agent, outcome, details)
      select ${at}::timestamptz, r.t, r.s, r.at::actor_type, r.ai, r.al, r.su, r.d, r.ip, r.ua, r.o::event_outcome, coalesce(r.x, '{}'::jsonb)
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(t text, s text, at text, ai text, al text, su uuid, d uuid, ip text, ua text, o text, x jsonb)`);
  }
}

const COPY_COLUMNS = ['occurred_at', 'type', 'sub_type', 'actor_type', 'actor_id', 'actor_label', 'subject_user_id', 'device_id', 'ip', 'user_agent', 'outcome', 'details'];

/**
 * Events ready for one COPY (lib/db copyRows), with the same checks as writeEvent: for the largest bulk
 * writers (a code for each of 100,000 users), which build the rows while PostgreSQL stores the previous
 * ones, and where COPY stores them a third cheaper than writeEvents' INSERT. Send them in the
 * transaction of the change they record.
 */
export function prepareEventsCopy(inputs: EventInput[]): PreparedCopy {
  const at = now().toISOString();
  const rows = inputs.map(toRow).map((r) => [at, r.t, r.s, r.at, r.ai, r.al, r.su, r.d, r.ip, r.ua, r.o, JSON.stringify(r.x)]);
  return prepareCopy('events', COPY_COLUMNS, rows);
}

/**
 * The INSERT of one event per row of a query, for a bulk writer whose rows are already in PostgreSQL (a
 * CTE of a bigger statement: the directory sync writes users, their change rows and User › Created events
 * from one JSON parameter). `details` maps each detail field to a column expression of `from`; the field
 * names get writeEvents' secret check. Use only inside the transaction of the change the events record.
 */
export function insertEventsFrom(
  kind: EventKind,
  actor: Actor,
  at: string,
  rows: { subjectUserId: SQL; details: Record<string, SQL>; from: SQL },
): SQL {
  const secrets = findSecretFields(Object.fromEntries(Object.keys(rows.details).map((k) => [k, null])));
  if (secrets.length > 0) throw new SecretInEventError(secrets);
  const details = sql.join(
    Object.entries(rows.details).map(([k, v]) => sql`${sql.raw(`'${k.replace(/'/g, "''")}'`)}, ${v}`),
    sql`, `,
  );
  return sql`insert into events (occurred_at, type, sub_type, actor_type, actor_id, actor_label, subject_user_id, outcome, details)
    select ${at}::timestamptz, ${kind.type}::text, ${kind.subType}::text, ${actor.type}::actor_type, ${actor.id ?? null}::text, ${clip(actor.label)}::text, ${rows.subjectUserId}, 'success'::event_outcome, jsonb_build_object(${details})
    ${rows.from}`;
}

function toRow(input: EventInput) {
  const details = input.details ?? {};
  const secrets = findSecretFields(details);
  if (secrets.length > 0) throw new SecretInEventError(secrets);
  return {
    t: input.kind.type,
    s: input.kind.subType,
    at: input.actor.type,
    ai: input.actor.id ?? null,
    al: clip(input.actor.label),
    su: input.subjectUserId ?? null,
    d: input.deviceId ?? null,
    ip: clip(input.ip),
    ua: clip(input.userAgent),
    o: input.outcome ?? 'success',
    x: details,
  };
}
