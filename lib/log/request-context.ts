import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request being handled, for log lines. server.mjs opens a context per HTTP request (it reads the
 * same store through the same global symbol: Next bundles this module more than once, so a module
 * variable would give each bundle its own store and the id would be lost).
 */
export interface RequestContext {
  requestId: string;
}

const KEY = Symbol.for('onramp.requestContext');
type WithStore = typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestContext> };

function store(): AsyncLocalStorage<RequestContext> {
  const g = globalThis as WithStore;
  g[KEY] ??= new AsyncLocalStorage<RequestContext>();
  return g[KEY];
}

/** The id of the request this code runs for, if any. */
export function getRequestId(): string | undefined {
  return store().getStore()?.requestId;
}

/** Runs `fn` as part of a request (or a job run) with this id; a fresh UUID when none is given. */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return store().run({ requestId: requestId ?? randomUUID() }, fn);
}
