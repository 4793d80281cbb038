import 'server-only';

/**
 * Process-wide shutdown state, shared with server.mjs through a global symbol (server.mjs is not
 * bundled and Next bundles this module more than once). On SIGTERM/SIGINT server.mjs stops taking
 * requests, aborts `signal`, waits for requests in flight and for `background` work (up to
 * SHUTDOWN_TIMEOUT_SECONDS), then awaits every `release` hook and exits.
 *
 * The shape is a contract with server.mjs: { controller: AbortController, background: Set<Promise>,
 * release: Set<() => Promise<void>> } under Symbol.for('onramp.shutdown').
 */
export interface ShutdownState {
  controller: AbortController;
  background: Set<Promise<unknown>>;
  release: Set<() => Promise<void>>;
}

const KEY = Symbol.for('onramp.shutdown');
type WithShutdown = typeof globalThis & { [KEY]?: ShutdownState };

export function shutdownState(): ShutdownState {
  const g = globalThis as WithShutdown;
  g[KEY] ??= { controller: new AbortController(), background: new Set(), release: new Set() };
  return g[KEY];
}

/** Aborted when the process starts shutting down: long work checks it between steps. */
export function shutdownSignal(): AbortSignal {
  return shutdownState().controller.signal;
}

export function isShuttingDown(): boolean {
  return shutdownSignal().aborted;
}

/** Shutdown waits for this promise (up to the timeout) before running the release hooks. */
export function trackBackgroundWork<T>(work: Promise<T>): Promise<T> {
  const { background } = shutdownState();
  const tracked = work.finally(() => background.delete(tracked));
  background.add(tracked);
  return work;
}

/** Runs at shutdown, after background work ended or timed out: give back what this instance holds. Returns an unregister function. */
export function onShutdownRelease(release: () => Promise<void>): () => void {
  const { release: hooks } = shutdownState();
  hooks.add(release);
  return () => hooks.delete(release);
}

/**
 * What server.mjs does on SIGTERM, minus the HTTP part: abort, wait for background work up to
 * `timeoutMs`, run the release hooks. Exposed for tests and for processes without server.mjs.
 */
export async function shutDownBackgroundWork(timeoutMs: number): Promise<{ timedOut: boolean }> {
  const state = shutdownState();
  state.controller.abort(new Error('shutting down'));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    Promise.allSettled([...state.background]).then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  await Promise.allSettled([...state.release].map((release) => release()));
  return { timedOut };
}

/** Tests only: a fresh, not-aborted state. */
export function resetShutdownState(): void {
  delete (globalThis as WithShutdown)[KEY];
}
