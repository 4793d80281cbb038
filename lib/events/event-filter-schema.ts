import { z } from 'zod';

/**
 * Event Discovery's filter. It lives in the URL (a GET form), so a view can be shared; the same schema
 * reads the page's search params, the export route's and the benchmark's. No server-only: the form uses
 * the labels and presets too.
 */
export const TIME_RANGES = ['1h', '24h', '7d', '30d', 'all', 'custom'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const TIME_RANGE_LABELS: Record<TimeRange, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'All time',
  custom: 'Custom range (UTC)',
};

export const TIME_RANGE_SECONDS: Record<Exclude<TimeRange, 'all' | 'custom'>, number> = {
  '1h': 3_600,
  '24h': 86_400,
  '7d': 7 * 86_400,
  '30d': 30 * 86_400,
};

export const DEFAULT_TIME_RANGE: TimeRange = '7d';
export const EVENT_PAGE_SIZE = 50;

/** A <input type="datetime-local"> value, read as UTC: 2026-11-23T10:15 (seconds optional). */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => v || undefined);

const dateTime = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined)
  .refine((v) => v === undefined || (LOCAL_DATE_TIME.test(v) && !Number.isNaN(Date.parse(`${v}Z`))), 'Enter a date and time like 2026-11-23T09:30.');

/** A keyset position: the ISO time with microseconds and the id of the last row seen (`<iso>~<id>`). */
const CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z~\d{1,18}$/;
const cursor = z
  .string()
  .optional()
  .transform((v) => (v && CURSOR.test(v) ? v : undefined));

export const eventFilterSchema = z
  .object({
    range: z.enum(TIME_RANGES, { error: 'Choose a time range.' }).optional().default(DEFAULT_TIME_RANGE),
    from: dateTime,
    to: dateTime,
    type: optionalText(100, 'A type has at most 100 characters.'),
    subType: optionalText(100, 'A sub type has at most 100 characters.'),
    /** The user the event is about: an email address or a user id. */
    user: optionalText(254, 'Enter an email address of at most 254 characters.'),
    /** Who did it: an admin's or user's email, or "Onramp" for the system (case-insensitive, exact). */
    actor: optionalText(254, 'An actor has at most 254 characters.'),
    outcome: z.enum(['success', 'failure'], { error: 'Choose success or failure.' }).optional(),
    ip: optionalText(64, 'An IP address has at most 64 characters.').refine((v) => v === undefined || /^[0-9A-Fa-f:.]+$/.test(v), 'Enter an IPv4 or IPv6 address.'),
    /** Free text, matched anywhere in the event (not indexed: narrow the time range for speed). */
    q: optionalText(200, 'Search for at most 200 characters.'),
    before: cursor,
    after: cursor,
  })
  .superRefine((v, ctx) => {
    if (v.range !== 'custom') return;
    if (!v.from && !v.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Enter a start or an end for a custom range.' });
    if (v.from && v.to && Date.parse(`${v.from}Z`) >= Date.parse(`${v.to}Z`)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end must be after the start.' });
    }
  });

export type EventFilterInput = z.input<typeof eventFilterSchema>;
type ParsedQuery = z.output<typeof eventFilterSchema>;
/** A view: the time range and any other filter fields, plus an optional page position. */
export type EventQuery = Pick<ParsedQuery, 'range'> & Partial<Omit<ParsedQuery, 'range'>>;
export type EventFilter = Omit<EventQuery, 'before' | 'after'>;
export type EventFilterErrors = Partial<Record<keyof EventQuery, string>>;

const FILTER_KEYS = ['range', 'from', 'to', 'type', 'subType', 'user', 'actor', 'outcome', 'ip', 'q'] as const;

function flatten(params: Record<string, string | string[] | undefined> | URLSearchParams): Record<string, string | undefined> {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v] as const);
  return Object.fromEntries(entries.map(([k, v]) => [k, v || undefined]));
}

/**
 * Reads the filter from URL search params. A field that doesn't validate is dropped from the query (so
 * the rest still works) and reported in `errors`, while `raw` keeps what was typed so nothing is lost.
 */
export function parseEventQuery(params: Record<string, string | string[] | undefined> | URLSearchParams): {
  query: EventQuery;
  errors: EventFilterErrors;
  raw: Record<string, string | undefined>;
} {
  const raw = flatten(params);
  const first = eventFilterSchema.safeParse(raw);
  if (first.success) return { query: first.data, errors: {}, raw };
  const errors: EventFilterErrors = {};
  for (const issue of first.error.issues) {
    const key = issue.path[0] as keyof EventQuery | undefined;
    if (key && !errors[key]) errors[key] = issue.message;
  }
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([k]) => !(k in errors)));
  // A broken custom range falls back to the default range rather than to "everything".
  if (errors.from || errors.to) delete cleaned.range;
  const second = eventFilterSchema.safeParse(cleaned);
  return { query: second.success ? second.data : eventFilterSchema.parse({}), errors, raw };
}

/** The URL of a view: only what differs from the defaults, so shared links stay short. */
export function eventQueryString(query: Partial<EventQuery>): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = query[key];
    if (value === undefined || (key === 'range' && value === DEFAULT_TIME_RANGE)) continue;
    if ((key === 'from' || key === 'to') && query.range !== 'custom') continue;
    params.set(key, String(value));
  }
  if (query.before) params.set('before', query.before);
  if (query.after) params.set('after', query.after);
  return params.toString();
}

export function eventsHref(query: Partial<EventQuery>, path = '/admin/events'): string {
  const search = eventQueryString(query);
  return search ? `${path}?${search}` : path;
}

/** The filter without its page position. */
export function filterOf(query: EventQuery): EventFilter {
  const { before: _b, after: _a, ...filter } = query;
  return filter;
}

/** True when anything narrows the view beyond the default time range. */
export function isFiltered(filter: EventFilter): boolean {
  return FILTER_KEYS.some((k) => k !== 'range' && k !== 'from' && k !== 'to' && filter[k] !== undefined) || filter.range !== DEFAULT_TIME_RANGE;
}
