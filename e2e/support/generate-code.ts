// Test-only: generates a registration code for one user through the product's own code
// (lib/registration-codes: the server's HMAC lookup and AES-GCM ciphertext) and prints it in its
// display form. Codes are encrypted with ONRAMP_SECRET_KEY, so a spec can't insert one with SQL.
// Run it with the e2e server's environment (e2e/registration-codes.spec.ts does):
//   tsx --conditions=react-server e2e/support/generate-code.ts <userId>
import { eq } from 'drizzle-orm';
import { schema } from '@/db/client';
import { getDatabaseHandle, getDb } from '@/lib/db';
import { SYSTEM_ACTOR } from '@/lib/events';
import { formatCode, generateCodes } from '@/lib/registration-codes';
import { decryptCode } from '@/lib/registration-codes/code-secrets';

const rc = schema.registrationCodes;
const codesOf = (userId: string) => getDb().select({ id: rc.id, ciphertext: rc.ciphertext }).from(rc).where(eq(rc.userId, userId));

async function printNewCode(userId: string | undefined) {
  if (!userId) throw new Error('usage: generate-code.ts <userId>');
  const before = new Set((await codesOf(userId)).map((r) => r.id));
  if ((await generateCodes([userId], SYSTEM_ACTOR, { ip: '127.0.0.1', userAgent: 'e2e' })) !== 1) {
    throw new Error(`no code was generated for ${userId} (unknown or disabled user?)`);
  }
  const row = (await codesOf(userId)).find((r) => !before.has(r.id))!;
  process.stdout.write(`${formatCode(decryptCode(row.ciphertext, userId))}\n`);
}

// The package is CommonJS, so no top-level await here.
printNewCode(process.argv[2])
  .finally(() => getDatabaseHandle().close())
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
