import 'server-only';

/**
 * A promise started ahead of its await (a query sent while the previous result is still being
 * processed): if it fails meanwhile, or is never awaited because the caller stopped early, that is
 * not an unhandled rejection. Awaiting it still throws the error.
 */
export function startedAhead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
