// Scans server log files for secrets (lib/testing/scan-logs-for-secrets.ts) and prints the findings;
// exits with 1 when there are any. The e2e teardown runs it beside scan-events-cli.ts:
//   tsx --conditions=react-server lib/testing/scan-logs-cli.ts < options.json
// stdin: JSON { "files": [...log paths], "knownSecrets": [...], "messageBodies": [...] }.
import { readFileSync } from 'node:fs';
import { getDatabaseHandle, getDb } from '@/lib/db';
import type { ScanOptions } from './scan-events-for-secrets';
import { describeLogFindings, scanLogsForSecrets } from './scan-logs-for-secrets';

async function scan() {
  const input = readFileSync(0, 'utf8').trim();
  const { files = [], ...options } = (input ? JSON.parse(input) : {}) as ScanOptions & { files?: string[] };
  const findings = await scanLogsForSecrets(getDb(), files, options);
  if (findings.length > 0) {
    process.stdout.write(`${describeLogFindings(findings)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`No secret in ${files.length} server log file(s).\n`);
  }
}

// The package is CommonJS, so no top-level await here.
scan()
  .finally(() => getDatabaseHandle().close())
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
