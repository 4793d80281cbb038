import postgres from 'postgres';

/** Drops this run's e2e database (the servers are stopped by then). */
export default async function teardown() {
  const url = process.env.E2E_DATABASE_URL;
  if (!url || process.env.ONRAMP_KEEP_TEST_DB) return;
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
