import type { ActionResult } from '@/lib/actions/result';
import { UserInputError } from './user-errors';

/** Turns a refused change into the form's field or form error; anything else is rethrown. */
export function inputErrorResult(error: unknown): ActionResult<never> {
  if (!(error instanceof UserInputError)) throw error;
  return error.field === 'form' ? { ok: false, formError: error.message } : { ok: false, fieldErrors: { [error.field]: [error.message] } };
}
