import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * How a user's email and username are matched: lower-cased and compared byte by byte (collation "C").
 * One unique index on this key serves equality, the case-insensitive uniqueness, a prefix search
 * (`LIKE 'x%'` can use a "C" index whatever the database's collation) and the sort, so each column
 * needs one index, not three. Queries must use this same expression for PostgreSQL to use the index.
 */
export function caseFoldedKey(column: SQLWrapper): SQL {
  return sql`(lower(${column}) collate "C")`;
}
