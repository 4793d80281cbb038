/** What every server action returns to its form. Shared by client and server code. */
export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = void> =
  | { ok: true; data?: T; message?: string }
  | { ok: false; formError?: string; fieldErrors?: FieldErrors; values?: Record<string, string> };

export const initialResult = undefined;
