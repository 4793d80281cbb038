import { randomBytes } from 'node:crypto';
import { schema } from '@/db/client';
import { getDb } from '@/lib/db';

/** Test data: a user or admin row with unique email and username; override any column. */
export async function insertTestUser(overrides: Partial<typeof schema.users.$inferInsert> = {}) {
  const tag = randomBytes(4).toString('hex');
  const [row] = await getDb()
    .insert(schema.users)
    .values({
      email: `User.${tag}@Example.com`,
      username: `User_${tag}`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      status: 'active',
      ...overrides,
    })
    .returning();
  return row!;
}

export async function insertTestAdmin(overrides: Partial<typeof schema.admins.$inferInsert> = {}) {
  const tag = randomBytes(4).toString('hex');
  const [row] = await getDb()
    .insert(schema.admins)
    .values({ email: `Admin.${tag}@Example.com`, name: 'Grace', passwordHash: 'unused', ...overrides })
    .returning();
  return row!;
}
