import 'server-only';
import { sql } from 'drizzle-orm';
import { rowsOf, caseFoldedKey, schema } from '@/db/client';
import type { Executor } from '@/lib/db';
import { normalisePhone, type PhoneStatus } from '@/lib/phone';
import type { DirectoryRecord, MappedEntry } from './map-entry';

/** The users columns the sync owns for a directory user. */
export interface UserValues {
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  directoryDn: string;
  phoneE164: string | null;
  phoneStatus: PhoneStatus;
  phoneRaw: string | null;
  phoneSource: string | null;
}

export const SYNCED_FIELDS = ['firstName', 'lastName', 'email', 'username', 'directoryDn', 'phoneE164', 'phoneStatus', 'phoneRaw', 'phoneSource'] as const;

export type ChangeRow = typeof schema.directorySyncChanges.$inferInsert;

export interface PagePlan {
  changes: ChangeRow[];
  /**
   * Ids of the entries that matched an existing user, and of entries that could not be mapped: a user who
   * is still there is never disabled. Entries matching no user need not be remembered (the disable scan
   * only looks at users that existed before; the sync is the only writer of directory users).
   */
  seen: string[];
  /** Entries that had an id. */
  withId: number;
  unchanged: number;
  phoneProblems: number;
}

/** Lowercased emails and usernames already taken by entries earlier in this run (the lowercased strings themselves: no prefixed copies). */
export interface ClaimedKeys {
  emails: Set<string>;
  usernames: Set<string>;
}

type Existing = UserValues & { id: string; directoryId: string | null; status: 'invited' | 'active' | 'disabled'; source: 'manual' | 'directory' };

/** Statuses that depend on the default region: parsed again every run so a region change reaches them. */
const REGION_DEPENDENT = new Set<PhoneStatus>(['country_assumed', 'missing_country_code', 'invalid']);

/** Phone columns for a record: libphonenumber runs only when the raw value (or its attribute) changed. */
function phoneFor(record: DirectoryRecord, existing: Existing | undefined, defaultRegion: string | null) {
  if (existing && existing.phoneRaw === record.phoneRaw && existing.phoneSource === record.phoneSource && !REGION_DEPENDENT.has(existing.phoneStatus)) {
    return { phoneE164: existing.phoneE164, phoneStatus: existing.phoneStatus, phoneRaw: existing.phoneRaw, phoneSource: existing.phoneSource };
  }
  const phone = normalisePhone(record.phoneRaw, defaultRegion);
  return { phoneE164: phone.e164, phoneStatus: phone.status, phoneRaw: phone.raw, phoneSource: record.phoneSource };
}

function valuesFor(record: DirectoryRecord, existing: Existing | undefined, defaultRegion: string | null): UserValues {
  return {
    firstName: record.firstName,
    lastName: record.lastName,
    email: record.email,
    username: record.username,
    directoryDn: record.dn,
    ...phoneFor(record, existing, defaultRegion),
  };
}

function diff(before: Existing, after: UserValues): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const f of SYNCED_FIELDS) if (before[f] !== after[f]) out[f] = { before: before[f], after: after[f] };
  return out;
}

const lower = (s: string) => s.toLowerCase();

/** A user holding one of the page's directory ids. */
/** A users row as planPage's statement returns it: named as Existing already, so it is used as is (no copy per row). */
type ExistingRow = Existing & { disabledBySync: boolean | null };

/**
 * Compares one page of directory entries with the users table and returns the change rows to stage
 * (create, update, re-enable, skip; phone problems of unchanged users when `listPhoneProblems`).
 * Reads only: nothing is written to users here.
 */
export async function planPage(
  db: Executor,
  runId: string,
  entries: MappedEntry[],
  options: { defaultRegion: string | null; listPhoneProblems: boolean; claimed: ClaimedKeys },
): Promise<PagePlan> {
  const plan: PagePlan = { changes: [], seen: [], withId: 0, unchanged: 0, phoneProblems: 0 };
  const records: DirectoryRecord[] = [];
  for (const e of entries) {
    if (e.ok) records.push(e.record);
    else plan.changes.push({ runId, action: 'skip', dn: e.dn, directoryId: e.directoryId, reason: e.reason });
    const id = e.ok ? e.record.directoryId : e.directoryId;
    if (id) plan.withId++;
    if (id && !e.ok) plan.seen.push(id);
  }
  if (records.length === 0) return plan;

  // Hand-written statements (no query building): the users holding these directory ids (with whether the
  // sync disabled them), then — only for entries that are new or whose email / username changed — whoever
  // holds those emails / usernames (manual users, other directory users: those entries are skipped). The
  // holder lookups are a UNION so each uses its unique index (an OR would scan the table).
  const ids = JSON.stringify(records.map((r) => r.directoryId));
  const rows = rowsOf<ExistingRow>(
    await db.execute(sql`
      select u.id, u.directory_id as "directoryId", u.status, u.source, u.first_name as "firstName", u.last_name as "lastName", u.email, u.username,
        coalesce(u.directory_dn, '') as "directoryDn", u.phone_e_164 as "phoneE164", u.phone_status as "phoneStatus", u.phone_raw as "phoneRaw",
        u.phone_source as "phoneSource", (d.user_id is not null) as "disabledBySync"
      from users u left join directory_disabled_users d on d.user_id = u.id
      where u.directory_id in (select jsonb_array_elements_text(${ids}::jsonb))`),
  );
  const existing = new Map<string, Existing>();
  const disabledBySync = new Set<string>();
  for (const r of rows) {
    existing.set(r.directoryId!, r);
    if (r.disabledBySync) disabledBySync.add(r.id);
    plan.seen.push(r.directoryId!);
  }
  // A user who already holds the entry's email and username needs no holder lookup: they hold them themselves.
  const emailHolder = new Map<string, { directoryId: string | null }>();
  const usernameHolder = new Map<string, { directoryId: string | null }>();
  const toCheck = records.filter((r) => {
    const ex = existing.get(r.directoryId);
    return !ex || lower(ex.email) !== lower(r.email) || lower(ex.username) !== lower(r.username);
  });
  if (toCheck.length) {
    const emails = JSON.stringify(toCheck.map((r) => lower(r.email)));
    const usernames = JSON.stringify(toCheck.map((r) => lower(r.username)));
    const holders = rowsOf<{ directory_id: string | null; email: string; username: string }>(
      await db.execute(sql`
        select directory_id, lower(email) as email, lower(username) as username from users where ${caseFoldedKey(schema.users.email)} in (select jsonb_array_elements_text(${emails}::jsonb))
        union
        select directory_id, lower(email), lower(username) from users where ${caseFoldedKey(schema.users.username)} in (select jsonb_array_elements_text(${usernames}::jsonb))`),
    );
    for (const h of holders) {
      emailHolder.set(h.email, { directoryId: h.directory_id });
      usernameHolder.set(h.username, { directoryId: h.directory_id });
    }
  }
  // Users of this page keep their own email / username.
  for (const ex of existing.values()) {
    if (!emailHolder.has(lower(ex.email))) emailHolder.set(lower(ex.email), { directoryId: ex.directoryId });
    if (!usernameHolder.has(lower(ex.username))) usernameHolder.set(lower(ex.username), { directoryId: ex.directoryId });
  }

  for (const record of records) {
    const ex = existing.get(record.directoryId);
    if (ex && ex.source === 'manual') {
      plan.changes.push({ runId, action: 'skip', userId: ex.id, directoryId: record.directoryId, dn: record.dn, reason: 'A manual user holds this directory id; manual users are never changed by the sync.' });
      continue;
    }
    const next = valuesFor(record, ex, options.defaultRegion);
    const phone = { phoneSource: next.phoneSource, phoneStatus: next.phoneStatus, phoneRaw: next.phoneRaw };
    const base = { runId, directoryId: record.directoryId, dn: record.dn, username: next.username, email: next.email, ...phone };
    const problem = next.phoneStatus !== 'ok';
    // Emails and usernames are unique (case-insensitive) across all users and within this run.
    const emailKey = lower(next.email);
    const usernameKey = lower(next.username);
    const takenEmail = emailHolder.get(emailKey);
    const takenUsername = usernameHolder.get(usernameKey);
    const conflict =
      takenEmail && takenEmail.directoryId !== record.directoryId
        ? `The email address ${next.email} already belongs to another user.`
        : takenUsername && takenUsername.directoryId !== record.directoryId
          ? `The username ${next.username} already belongs to another user.`
          : options.claimed.emails.has(emailKey) || options.claimed.usernames.has(usernameKey)
            ? `Another directory entry in this sync has the same email address or username.`
            : null;
    if (conflict) {
      plan.changes.push({ ...base, action: 'skip', userId: ex?.id ?? null, reason: conflict });
      continue;
    }
    // A create, update or re-enable claims its email and username for the rest of the run (they are not in
    // the users table yet, or not as this run will leave them). An unchanged user claims nothing: the table
    // already holds its values, so the holder lookup above finds them for any later entry — and a run of
    // 100,000 unchanged users keeps no 200,000 keys in memory.
    const claim = () => {
      options.claimed.emails.add(emailKey);
      options.claimed.usernames.add(usernameKey);
    };
    if (problem) plan.phoneProblems++;
    if (!ex) {
      claim();
      plan.changes.push({ ...base, action: 'create', record: { ...next, directoryId: record.directoryId } });
      continue;
    }
    const fields = diff(ex, next);
    if (ex.status === 'disabled' && disabledBySync.has(ex.id)) {
      claim();
      plan.changes.push({ ...base, action: 'reenable', userId: ex.id, fields: { ...fields, status: { before: 'disabled', after: 'enabled' } }, record: { ...next } });
    } else if (Object.keys(fields).length > 0) {
      claim();
      plan.changes.push({ ...base, action: 'update', userId: ex.id, fields, record: { ...next } });
    } else {
      plan.unchanged++;
      if (problem && options.listPhoneProblems) plan.changes.push({ ...base, action: 'phone_problem', userId: ex.id });
    }
  }
  return plan;
}
