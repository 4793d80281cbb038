import 'server-only';
import type { Realm } from './types';

/**
 * The failed-password counters shared by the sign-in and the re-authentication forms: per account
 * (whatever identifier was typed), per unknown identifier, and per IP.
 */
export const accountCounterKey = (realm: Realm, principalId: string) => `signin:${realm}:id:${principalId}`;
/** An identifier that matches no account is counted under its own name (namespaced so it can't collide with an id). */
export const unknownNameCounterKey = (realm: Realm, identifier: string) => `signin:${realm}:name:${identifier.trim().toLowerCase()}`;
export const ipCounterKey = (ip: string) => `signin:ip:${ip}`;

/** Each failure beyond the first two adds this much delay (capped), to slow guessing. */
const DELAY_STEP_MS = 250;
const DELAY_CAP_MS = 2_000;

/** Waits after a failed password, longer the more failures the account has in the window. */
export async function slowDownAfterFailure(accountFailures: number): Promise<void> {
  if (accountFailures <= 2) return;
  const ms = Math.min(DELAY_CAP_MS, (accountFailures - 2) * DELAY_STEP_MS);
  await new Promise((resolve) => setTimeout(resolve, ms));
}
