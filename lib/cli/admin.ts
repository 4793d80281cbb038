import 'server-only';
import { parseArgs } from 'node:util';
import { runMigrations } from '@/db/migrate';
import { AdminInputError, upsertAdmin } from '@/lib/admins';
import { getDatabaseHandle, getDb } from '@/lib/db';
import { EnvError, getEnv } from '@/lib/env';
import { describeDatabaseError } from '@/lib/startup';

/**
 * npm run admin -- create --email you@example.com [--name "Your Name"]
 * Prompts for the password on a terminal, or reads it from standard input:
 *   printf '%s' "$PASSWORD" | npm run admin -- create --email you@example.com
 * With the embedded database (no DATABASE_URL), stop the portal first: PGlite allows one process.
 */
const USAGE = 'Usage: npm run admin -- create --email <email> [--name <name>]   (password from the prompt or stdin)';

async function readHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let value = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  const first = await readHidden('Password (at least 12 characters): ');
  const second = await readHidden('Repeat the password: ');
  if (first !== second) throw new AdminInputError('password', 'The passwords do not match.');
  return first;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals[0] !== 'create' || !values.email) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const password = await readPassword();
  try {
    await runMigrations(getDb());
  } catch (error) {
    console.error(describeDatabaseError(error, getEnv().DATABASE_URL));
    return 1;
  }
  const result = await upsertAdmin({ email: values.email, password, name: values.name }, { type: 'system', label: 'admin CLI' });
  console.log(
    result.created
      ? `Admin ${values.email} created. Sign in at /admin/login.`
      : result.passwordChanged
        ? `Admin ${values.email} updated; their open sessions were ended.`
        : `Admin ${values.email} already exists with that password; nothing changed.`,
  );
  return 0;
}

main(process.argv.slice(2))
  .then(async (code) => {
    await getDatabaseHandle().close();
    process.exit(code);
  })
  .catch((error) => {
    if (error instanceof AdminInputError || error instanceof EnvError) console.error(`Error: ${error.message}`);
    else console.error(error);
    process.exit(1);
  });
