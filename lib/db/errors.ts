import 'server-only';

interface DatabaseError {
  code?: string;
  constraint_name?: string;
  constraint?: string;
  cause?: DatabaseError;
}

/**
 * The constraint a PostgreSQL unique violation (23505) names, from postgres.js or PGlite, directly or
 * wrapped by drizzle as the error's cause; undefined for any other error.
 */
export function uniqueViolation(error: unknown): { constraint: string } | undefined {
  const e = error as DatabaseError | undefined;
  const inner = e?.code ? e : e?.cause;
  if (inner?.code !== '23505') return undefined;
  return { constraint: inner.constraint_name ?? inner.constraint ?? '' };
}
