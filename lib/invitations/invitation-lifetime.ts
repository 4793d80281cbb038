import 'server-only';

const DAY_SECONDS = 86_400;

/** The invitation setting is in whole days (1 to 30); tokens want seconds. */
export function invitationLifetimeSeconds(days: number): number {
  return Math.min(30, Math.max(1, Math.trunc(days))) * DAY_SECONDS;
}
