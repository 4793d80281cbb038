import 'server-only';

/**
 * The application's clock. Everything that compares times (token expiry, rate-limit windows,
 * session timeouts) asks here, so tests can move time without sleeping.
 */
let offsetMs = 0;
let frozen: Date | undefined;

export function now(): Date {
  if (frozen) return new Date(frozen);
  return new Date(Date.now() + offsetMs);
}

/** Test hook: pin the clock (undefined releases it). */
export function setClock(at: Date | undefined): void {
  frozen = at ? new Date(at) : undefined;
}

/** Test hook: move the clock forward by ms. */
export function advanceClock(ms: number): void {
  if (frozen) frozen = new Date(frozen.getTime() + ms);
  else offsetMs += ms;
}

export function resetClock(): void {
  frozen = undefined;
  offsetMs = 0;
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
