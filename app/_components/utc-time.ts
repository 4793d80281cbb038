/** Times in the admin's lists and details: fixed format in UTC, so server and browser agree. */

/** "2026-11-23 04:41:45" (the column header says UTC). */
export function utcToSecond(d: Date): string {
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** "2026-11-23 04:41:45.197 UTC": the full precision an investigation needs. */
export function utcPrecise(d: Date): string {
  return `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}
