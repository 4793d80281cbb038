import 'server-only';

/** Cells a spreadsheet would read as a formula (CSV injection) start with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 cell: formula-like text gets a leading ' and anything with a comma, quote or line break is quoted. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
