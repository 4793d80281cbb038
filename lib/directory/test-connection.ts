import 'server-only';
import { normalisePhone, type PhoneStatus } from '@/lib/phone';
import { closeDirectory, openDirectory } from './connect';
import { DirectoryError, describeDirectoryError, type DirectoryErrorKind } from './directory-error';
import type { DirectorySettingsInput } from './schemas';
import { searchDirectoryUsers } from './search';
import { configFromInput, loadDirectoryConfig, type DirectoryConfig } from './settings';

export interface SampleUser {
  dn: string;
  directoryId: string | null;
  /** Set when the entry can't be imported (no id, no email). */
  skipped: string | null;
  username: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: { attribute: string | null; raw: string | null; e164: string | null; status: PhoneStatus; problem: string | null } | null;
}

export type ConnectionTestResult =
  | { ok: true; message: string; samples: SampleUser[] }
  | { ok: false; kind: DirectoryErrorKind; message: string; samples: SampleUser[] };

const SAMPLE_SIZE = 5;

/**
 * Test connection: connects and binds with the given settings (the saved ones when none are given;
 * the stored bind password when the form left it empty), then maps up to five users as the sync would,
 * with the attribute that gave each phone and its verdict. Changes nothing.
 */
export async function testDirectoryConnection(input?: DirectorySettingsInput): Promise<ConnectionTestResult> {
  const config: DirectoryConfig | null = input ? await configFromInput(input) : await loadDirectoryConfig();
  if (!config) return { ok: false, kind: 'not_configured', message: 'Directory Services is not configured yet.', samples: [] };
  const samples: SampleUser[] = [];
  let client;
  try {
    client = await openDirectory(config);
  } catch (error) {
    const e = describeDirectoryError(error, config);
    return { ok: false, kind: e.kind, message: e.message, samples };
  }
  const bound = config.bindDn ? `Connected to ${config.url} and bound as ${config.bindDn}.` : `Connected to ${config.url} (anonymous bind).`;
  try {
    let pages = 0;
    for await (const page of searchDirectoryUsers(client, config, SAMPLE_SIZE)) {
      for (const entry of page.entries) {
        if (samples.length >= SAMPLE_SIZE) break;
        if (!entry.ok) {
          samples.push({ dn: entry.dn, directoryId: entry.directoryId, skipped: entry.reason, username: null, email: null, firstName: null, lastName: null, phone: null });
          continue;
        }
        const r = entry.record;
        const phone = normalisePhone(r.phoneRaw, config.defaultRegion);
        samples.push({
          dn: r.dn,
          directoryId: r.directoryId,
          skipped: null,
          username: r.username,
          email: r.email,
          firstName: r.firstName,
          lastName: r.lastName,
          phone: { attribute: r.phoneSource, raw: phone.raw, e164: phone.e164, status: phone.status, problem: phone.problem },
        });
      }
      if (samples.length >= SAMPLE_SIZE || ++pages >= 20) break;
    }
    if (samples.length === 0) {
      return { ok: false, kind: 'empty', message: `${bound} But the search found no users under ${config.baseDn} with ${config.userFilter}${config.groupDn ? ` in ${config.groupDn}` : ''}.`, samples };
    }
    return { ok: true, message: `${bound} The search works; here are ${samples.length} users as they would be imported.`, samples };
  } catch (error) {
    const e = error instanceof DirectoryError ? error : describeDirectoryError(error, config);
    return { ok: false, kind: e.kind, message: `${bound} But the search failed: ${e.message}`, samples };
  } finally {
    await closeDirectory(client);
  }
}
