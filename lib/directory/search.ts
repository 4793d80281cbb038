import 'server-only';
import { type Client, type Filter, FilterParser, PresenceFilter } from 'ldapts';
import { normaliseDn } from './dn';
import { DirectoryError, describeDirectoryError } from './directory-error';
import { binaryAttributes, mapEntry, requestedAttributes, type MappedEntry } from './map-entry';
import type { DirectoryConfig } from './settings';

export interface DirectoryPage {
  entries: MappedEntry[];
  /** Continuation references (referrals) the server returned instead of entries. */
  references: number;
}

const RANGE = /^(member|uniquemember);range=(\d+)-(\*|\d+)$/i;

/** uniqueMember values may end in an optional UID (#'0101'B). */
const memberDn = (value: string) => value.replace(/#'[01]*'B$/, '');

/**
 * The DNs a group lists in member / uniqueMember (groupOfNames, groupOfUniqueNames, AD groups),
 * following Active Directory's ranged retrieval for large groups. Nested groups are not expanded.
 * We resolve members instead of filtering on memberOf because OpenLDAP has no memberOf without the
 * memberof overlay, and a filter on it would silently match nobody.
 */
export async function resolveGroupMembers(client: Client, groupDn: string): Promise<Set<string>> {
  const members = new Set<string>();
  let attributes = ['member', 'uniqueMember'];
  for (let round = 0; round < 1000 && attributes.length; round++) {
    const { searchEntries } = await client.search(groupDn, { scope: 'base', filter: new PresenceFilter({ attribute: 'objectClass' }), attributes });
    const entry = searchEntries[0];
    if (!entry) throw new DirectoryError('not_found', `The group ${groupDn} was not found.`);
    const next: string[] = [];
    for (const [key, raw] of Object.entries(entry)) {
      const range = RANGE.exec(key);
      if (!range && !/^(member|uniquemember)$/i.test(key)) continue;
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
      for (const v of values) members.add(normaliseDn(memberDn(v)));
      if (range && range[3] !== '*') next.push(`${range[1]};range=${Number(range[3]) + 1}-*`);
    }
    attributes = next;
  }
  return members;
}

/** The configured user filter as a filter object (validated on save; parsed again here). */
export function userFilter(config: Pick<DirectoryConfig, 'userFilter'>): Filter {
  try {
    return FilterParser.parseString(config.userFilter);
  } catch (error) {
    throw new DirectoryError('mapping', `The user filter is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Asks for the next page before handing out the current one, so the directory prepares page n + 1 while
 * page n is compared with the database. At most one page is held ahead; an error of the page ahead
 * surfaces when that page is reached (never earlier, never lost).
 */
async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = it.next();
      // Handled when awaited above; this only keeps an abandoned page ahead from being reported as unhandled.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await it.return?.().catch(() => undefined);
  }
}

/**
 * Streams the users page by page with the paged-results control (never a size limit), mapped and,
 * with a group configured, restricted to its members. A size-limit, time-limit or any non-success
 * result throws (ldapts turns them into errors), so an incomplete result can't look complete.
 */
export async function* searchDirectoryUsers(client: Client, config: DirectoryConfig, pageSize = config.pageSize): AsyncGenerator<DirectoryPage> {
  try {
    const members = config.groupDn ? await resolveGroupMembers(client, config.groupDn) : null;
    const pages = client.searchPaginated(config.baseDn, {
      scope: 'sub',
      filter: userFilter(config),
      attributes: requestedAttributes(config),
      explicitBufferAttributes: binaryAttributes(config),
      paged: { pageSize },
    });
    // Each page is mapped as soon as it arrives, before it waits its turn ahead: what waits is the small
    // mapped records, and ldapts' entries (most of the memory a sync allocates) are dropped young.
    const mapped = (async function* () {
      for await (const page of pages) {
        const entries = members ? page.searchEntries.filter((e) => members.has(normaliseDn(e.dn))) : page.searchEntries;
        yield { entries: entries.map((e) => mapEntry(e, config)), references: page.searchReferences.length };
      }
    })();
    yield* readAhead(mapped);
  } catch (error) {
    throw describeDirectoryError(error, config);
  }
}
