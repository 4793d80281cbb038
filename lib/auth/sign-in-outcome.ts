import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SignInResult } from './sign-in';

/**
 * next-auth runs `authorize` inside our sign-in action's call (same async chain) but only hands back
 * a redirect URL. This carries the new session's id and MFA state back to the action, which then
 * decides where to go (the portal, or /login/verify) and sends the first sign-in code once.
 */
const outcomes = new AsyncLocalStorage<{ result?: SignInResult }>();

export async function captureSignIn<T>(run: () => Promise<T>): Promise<{ value: T; result?: SignInResult }> {
  const store: { result?: SignInResult } = {};
  const value = await outcomes.run(store, run);
  return { value, result: store.result };
}

export function recordSignIn(result: SignInResult): void {
  const store = outcomes.getStore();
  if (store) store.result = result;
}
