import 'server-only';
import type { Entry } from 'ldapts';
import type { DirectoryConfig } from './settings';

export type Mapping = Pick<
  DirectoryConfig,
  'idAttribute' | 'usernameAttribute' | 'emailAttribute' | 'firstNameAttribute' | 'lastNameAttribute' | 'phoneAttributes'
>;

/** One directory entry as Onramp stores it (phone not yet normalised). */
export interface DirectoryRecord {
  directoryId: string;
  dn: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  /** The first present phone attribute's value, and which attribute it was. */
  phoneRaw: string | null;
  phoneSource: string | null;
}

export type MappedEntry = { ok: true; record: DirectoryRecord } | { ok: false; dn: string; directoryId: string | null; reason: string };

type Value = Entry[string];

/** ldapts gives a single value as a string (or Buffer), several as an array and a missing one as []. */
function firstValue(value: Value | undefined): string | Buffer | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  return v.length ? v : null;
}

function text(value: Value | undefined): string | null {
  const v = firstValue(value);
  if (v === null) return null;
  return typeof v === 'string' ? v : v.toString('utf8').trim() || null;
}

/** Attribute names are case-insensitive; ldapts keys entries by the requested spelling, servers by theirs. */
function attr(entry: Entry, name: string): Value | undefined {
  if (name in entry) return entry[name];
  const lower = name.toLowerCase();
  const key = Object.keys(entry).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : entry[key];
}

/** Active Directory's objectGUID: 16 bytes, the first three groups little-endian, as a lower-case UUID string. */
export function formatObjectGuid(bytes: Buffer): string {
  if (bytes.length !== 16) return bytes.toString('hex');
  const h = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}`;
}

function uniqueId(entry: Entry, name: string): string | null {
  const v = firstValue(attr(entry, name));
  if (v === null) return null;
  if (typeof v !== 'string') return name.toLowerCase() === 'objectguid' ? formatObjectGuid(v) : v.toString('hex');
  return name.toLowerCase() === 'entryuuid' ? v.toLowerCase() : v;
}

/** The attributes a search asks for. */
export function requestedAttributes(mapping: Mapping): string[] {
  return [...new Set([mapping.idAttribute, mapping.usernameAttribute, mapping.emailAttribute, mapping.firstNameAttribute, mapping.lastNameAttribute, ...mapping.phoneAttributes])];
}

/** Attributes ldapts must hand over as bytes (binary ids). */
export function binaryAttributes(mapping: Mapping): string[] {
  return mapping.idAttribute.toLowerCase() === 'objectguid' ? [mapping.idAttribute] : [];
}

export function mapEntry(entry: Entry, mapping: Mapping): MappedEntry {
  const dn = entry.dn;
  const directoryId = uniqueId(entry, mapping.idAttribute);
  if (!directoryId) return { ok: false, dn, directoryId: null, reason: `The entry has no ${mapping.idAttribute}: it can't be matched from one sync to the next.` };
  const email = text(attr(entry, mapping.emailAttribute));
  if (!email) return { ok: false, dn, directoryId, reason: `The entry has no ${mapping.emailAttribute}: Onramp needs an email address for every user.` };
  let phoneRaw: string | null = null;
  let phoneSource: string | null = null;
  for (const name of mapping.phoneAttributes) {
    const value = text(attr(entry, name));
    if (value) {
      phoneRaw = value;
      phoneSource = name;
      break;
    }
  }
  return {
    ok: true,
    record: {
      directoryId,
      dn,
      email,
      username: text(attr(entry, mapping.usernameAttribute)) ?? email,
      firstName: text(attr(entry, mapping.firstNameAttribute)) ?? '',
      lastName: text(attr(entry, mapping.lastNameAttribute)) ?? '',
      phoneRaw,
      phoneSource,
    },
  };
}
