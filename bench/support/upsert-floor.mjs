// The design's reference floor for bulk PostgreSQL writes ("postgres.js batched upsert of 100,000 rows:
// 0.72 s into an empty table; 0.51 s when nothing changed", ../shared/DESIGN.md), measured on this machine
// against the bench's own database, so an absolute target set on the reference machine can be translated
// to this one in the same run. No product code: a 4-column table, 5,000 rows per statement.
import postgres from 'postgres';

export const REFERENCE_UPSERT_SECONDS = { empty: 0.72, unchanged: 0.51 };

const BATCH = 5_000;

/** Best of `runs` (seconds) for the upsert into an empty table and again with nothing changed. */
export async function measureUpsertFloor(databaseUrl, { rows = 100_000, runs = 3 } = {}) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const data = Array.from({ length: rows }, (_, i) => ({
    id: i + 1,
    email: `floor.user${i}@example.com`,
    name: `Floor User ${i}`,
    phone: `+1415555${String(i % 10_000).padStart(4, '0')}`,
  }));
  const upsertAll = async () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < rows; i += BATCH) {
      await sql`insert into bench_upsert_floor ${sql(data.slice(i, i + BATCH))}
        on conflict (id) do update set email = excluded.email, name = excluded.name, phone = excluded.phone
        where (bench_upsert_floor.email, bench_upsert_floor.name, bench_upsert_floor.phone)
          is distinct from (excluded.email, excluded.name, excluded.phone)`;
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const best = { empty: Infinity, unchanged: Infinity };
  try {
    for (let run = 0; run < runs; run++) {
      await sql`drop table if exists bench_upsert_floor`;
      await sql`create table bench_upsert_floor (id bigint primary key, email text not null, name text not null, phone text)`;
      best.empty = Math.min(best.empty, await upsertAll());
      best.unchanged = Math.min(best.unchanged, await upsertAll());
    }
  } finally {
    await sql`drop table if exists bench_upsert_floor`;
    await sql.end({ timeout: 5 });
  }
  return best;
}
