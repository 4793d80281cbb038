import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';
import { PLATFORM_LABELS } from '@/lib/devices/schemas';
import { describeUserAgent } from './describe-user-agent';
import { EVENT, type EventKind } from './event-types';

/** Who did it, as the user may learn it: never an administrator's name, email, IP or browser. */
export type ActivityActor = 'you' | 'administrator' | 'onramp' | 'device' | 'unconfirmed';

/** One line of the user's own activity (/account/activity): only what the user may see. */
export interface OwnActivityDto {
  id: number;
  occurredAt: Date;
  /** What happened, in plain words; phone numbers are masked to their last four digits. */
  summary: string;
  outcome: 'success' | 'failure';
  /** The client's IP; null when an administrator or Onramp did it (theirs is not the user's business). */
  ip: string | null;
  /** "Chrome on Windows", "Unknown browser"; null when an administrator or Onramp did it. */
  browser: string | null;
  by: ActivityActor;
  /** "You", "An administrator", … */
  byLabel: string;
}

export const OWN_ACTIVITY_DEFAULT_LIMIT = 50;
export const OWN_ACTIVITY_MAX_LIMIT = 200;

const BY_LABEL: Record<ActivityActor, string> = {
  you: 'You',
  administrator: 'An administrator',
  onramp: 'Onramp, automatically',
  device: 'A device, with your registration code',
  unconfirmed: 'Not confirmed: you or someone else',
};

const ACTOR_OF: Record<string, ActivityActor> = { user: 'you', admin: 'administrator', system: 'onramp', client: 'device', anonymous: 'unconfirmed' };

type Details = Record<string, unknown>;
type Describe = (details: Details, outcome: 'success' | 'failure') => string;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : undefined);
/** A table's own entry for a stored value (never one inherited from Object.prototype). */
const entry = <T>(table: Record<string, T>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;

/**
 * "•••• 1234" from whatever number a detail holds (events store it masked already, "+44 •••• ••8750");
 * only the last four digits ever leave this module.
 */
function maskedLastFour(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `•••• ${digits.slice(-4)}` : undefined;
}

/** "Phone number changed" + " to •••• 1234" when the event holds a number. */
const withPhone = (words: string, link: string, value: unknown) => {
  const phone = maskedLastFour(value);
  return phone ? `${words} ${link} ${phone}` : words;
};

const SIGN_IN_REFUSALS: Record<string, string> = {
  invalid: 'Sign-in failed: wrong password',
  locked: 'Sign-in refused: too many failed attempts, the account is paused for a while',
  rate_limited: 'Sign-in refused: too many failed attempts from this network',
  disabled: 'Sign-in refused: the account is disabled',
};

const RESET_REQUESTS: Record<string, string> = {
  link_issued: 'Password reset link requested',
  send_failed: 'Password reset email could not be sent',
  rate_limited: 'Password reset refused: too many requests',
  invitation_resent: 'Activation link requested',
  not_active: 'Password reset refused: the account is not active',
};

function describeSignIn(details: Details, outcome: 'success' | 'failure'): string {
  const reason = details.reason;
  if (details.step === 'reauthenticate') {
    if (outcome === 'success') return 'Password confirmed to change two-factor settings';
    return reason === 'invalid' ? 'Password confirmation failed: wrong password' : 'Password confirmation refused: too many failed attempts';
  }
  if (outcome === 'failure') return entry(SIGN_IN_REFUSALS, reason) ?? 'Sign-in failed';
  if (details.mfaState === 'pending') return 'Password accepted; a text message code was needed to finish signing in';
  if (details.mfaState === 'passed') return 'Signed in on a remembered browser (no text message code needed)';
  return 'Signed in';
}

function describeDevice(verb: string, details: Details): string {
  const name = text(details.name) ?? text(details.deviceName);
  const platform = entry<string>(PLATFORM_LABELS, details.platform);
  if (!name) return `Device ${verb}`;
  return platform ? `Device ${verb}: ${name} (${platform})` : `Device ${verb}: ${name}`;
}

/**
 * The events a user sees about themselves, and how each reads. Left out on purpose:
 * - MFA Challenge Sent and Failed, and Challenge Passed for enrolment or a change of number: one per
 *   code, resend and typo, so they would bury the rest; what they lead to is shown (the sign-in,
 *   Enrolled, Phone Changed, and Locked after 100 wrong codes). Challenge Passed at sign-in stays: it
 *   is the one line that says the sign-in finished.
 * - Sign-Out, the admin-side lifecycle (User Created/Updated/Disabled…, Invitation, Registration Code:
 *   the device it registers is shown) and SMS delivery: not the user's security history.
 */
const DESCRIBE: [EventKind, Describe][] = [
  [EVENT.userSignIn, describeSignIn],
  [EVENT.mfaChallengePassed, () => 'Signed in with a text message code'],
  [EVENT.passwordChanged, () => 'Password changed'],
  [EVENT.passwordReset, () => 'Password reset: the account must be activated again'],
  [EVENT.passwordResetRequested, (d) => entry(RESET_REQUESTS, d.result) ?? 'Password reset requested'],
  [EVENT.passwordResetCompleted, () => 'Password reset with an emailed link'],
  [EVENT.mfaEnrolled, (d) => withPhone('Two-factor authentication set up', 'with phone number', d.maskedPhone)],
  [EVENT.mfaPhoneChanged, (d) => withPhone('Phone number changed', 'to', d.maskedPhone)],
  [EVENT.mfaFactorRemoved, (d) => withPhone('Two-factor authentication removed', 'from phone number', d.maskedPhone)],
  [EVENT.mfaReset, () => 'Two-factor authentication reset: it is set up again at the next sign-in'],
  [EVENT.mfaLocked, () => 'Two-factor authentication locked after too many wrong codes'],
  [EVENT.mfaUnlocked, () => 'Two-factor authentication unlocked'],
  [EVENT.mfaTrustedDeviceAdded, () => 'Browser remembered: it can sign in without a text message code'],
  [
    EVENT.mfaTrustedDeviceForgotten,
    (d) => (typeof d.browser === 'string' ? `Remembered browser forgotten: ${describeUserAgent(d.browser)}` : 'Remembered browser forgotten'),
  ],
  [EVENT.deviceRegistered, (d) => describeDevice('registered', d)],
  [EVENT.deviceRevoked, (d) => describeDevice('revoked', d)],
];

const kindKey = (type: string, subType: string) => `${type}\u0000${subType}`;
const DESCRIBERS = new Map(DESCRIBE.map(([kind, describe]) => [kindKey(kind.type, kind.subType), describe]));

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return OWN_ACTIVITY_DEFAULT_LIMIT;
  return Math.min(Math.max(Math.trunc(limit), 1), OWN_ACTIVITY_MAX_LIMIT);
}

/** The shown kinds, as SQL: a code passed counts only at sign-in (enrolment and a change of number have their own event). */
function shownKinds() {
  const e = schema.events;
  const kinds = sql.join(
    DESCRIBE.map(([k]) => sql`(${k.type}, ${k.subType})`),
    sql`, `,
  );
  const passed = EVENT.mfaChallengePassed;
  return sql`(${e.type}, ${e.subType}) in (${kinds})
    and not (${e.type} = ${passed.type} and ${e.subType} = ${passed.subType} and ${e.details}->>'purpose' is distinct from 'sign_in')`;
}

/**
 * The signed-in user's own recent activity, newest first: sign-ins (successful and failed), MFA
 * changes, password changes and resets, devices registered and revoked. Reads only events whose
 * subject is this user, along the events index on (subject_user_id, occurred_at).
 */
export async function listOwnActivity(userId: string, options: { limit?: number } = {}): Promise<OwnActivityDto[]> {
  const e = schema.events;
  const rows = await getDb()
    .select({
      id: e.id,
      occurredAt: e.occurredAt,
      type: e.type,
      subType: e.subType,
      actorType: e.actorType,
      ip: e.ip,
      userAgent: e.userAgent,
      outcome: e.outcome,
      details: e.details,
    })
    .from(e)
    .where(and(eq(e.subjectUserId, userId), shownKinds()))
    .orderBy(desc(e.occurredAt), desc(e.id))
    .limit(clampLimit(options.limit));

  return rows.map((row) => {
    const by = entry(ACTOR_OF, row.actorType) ?? 'unconfirmed';
    const showClient = by !== 'administrator' && by !== 'onramp';
    return {
      id: row.id,
      occurredAt: row.occurredAt,
      summary: DESCRIBERS.get(kindKey(row.type, row.subType))!(row.details ?? {}, row.outcome),
      outcome: row.outcome,
      ip: showClient ? row.ip : null,
      browser: showClient ? describeUserAgent(row.userAgent) : null,
      by,
      byLabel: BY_LABEL[by],
    };
  });
}
