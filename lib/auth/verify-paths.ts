import { safeNextPath } from './schemas';

/** Where a user session whose SMS code is still owed is sent. */
export const VERIFY_PATH = '/login/verify';

/** The verify pages' URLs, carrying a non-default `next` along. */
function withNext(path: string, next: string | undefined, extra: Record<string, string> = {}): string {
  const target = safeNextPath('user', next);
  const params = new URLSearchParams({ ...extra, ...(target === '/' ? {} : { next: target }) });
  return params.size ? `${path}?${params}` : path;
}

export const verifyPathFor = (next: string | undefined) => withNext(VERIFY_PATH, next);
export const setupPathFor = (next: string | undefined, step?: 'number') => withNext(`${VERIFY_PATH}/setup`, next, step ? { step } : {});
