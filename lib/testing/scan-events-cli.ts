// Scans every event of the database at DATABASE_URL for secrets (lib/testing/scan-events-for-secrets.ts)
// and prints the findings; exits with 1 when there are any. The e2e teardown runs it with the e2e
// servers' environment (their key decrypts the stored codes and bind password):
//   tsx --conditions=react-server lib/testing/scan-events-cli.ts < options.json
// stdin: JSON ScanOptions — { "knownSecrets": [...passwords], "messageBodies": [...emails sent over SMTP] }.
import { readFileSync } from 'node:fs';
import { getDatabaseHandle, getDb } from '@/lib/db';
import { describeFindings, scanEventsForSecrets, type ScanOptions } from './scan-events-for-secrets';

async function scan() {
  const input = readFileSync(0, 'utf8').trim();
  const options = (input ? JSON.parse(input) : {}) as ScanOptions;
  const findings = await scanEventsForSecrets(getDb(), options);
  if (findings.length > 0) {
    process.stdout.write(`${describeFindings(findings)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('No secret in the stored events.\n');
  }
}

// The package is CommonJS, so no top-level await here.
scan()
  .finally(() => getDatabaseHandle().close())
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
