/** Number and date formats of the Users list: fixed locale and UTC, so server and browser agree. */
const numbers = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numbers.format(n);
}

/** "1 user", "1,234 users". */
export function usersCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'user' : 'users'}`;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function formatMinute(date: Date): string {
  return `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}
