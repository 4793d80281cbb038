import 'server-only';
import { ApiError } from './api-error';

/**
 * Every error code the client API answers with, and what it tells the person holding the client.
 * The routes and the OpenAPI document both read these tables, so they can't drift apart.
 */
export const API_ERROR_MESSAGES = {
  invalid_request: 'The request is not valid.',
  invalid_code_format: 'That is not a registration code. Codes use the letters A–Z (no I, L or O) and the digits 2–9.',
  code_not_found: 'That registration code does not exist. Check it and try again.',
  code_used: 'That registration code has already been used. Ask your administrator for a new one.',
  code_expired: 'That registration code has expired. Ask your administrator for a new one.',
  code_revoked: 'That registration code has been revoked. Ask your administrator for a new one.',
  user_disabled: 'This account is disabled. Contact your administrator.',
  rate_limited: 'Too many failed attempts. Wait and try again.',
  invalid_token: 'The device credential is missing or not valid. Register the device again.',
  device_revoked: 'This device has been revoked. Register it again with a new code.',
  internal_error: 'Something went wrong on our side.',
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_MESSAGES;

/** POST /api/v1/client/register: the HTTP status of each error it can answer with. */
export const REGISTER_ERROR_STATUS = {
  invalid_request: 400,
  invalid_code_format: 400,
  code_not_found: 404,
  code_used: 410,
  code_expired: 410,
  code_revoked: 410,
  user_disabled: 403,
  rate_limited: 429,
  internal_error: 500,
} as const satisfies Partial<Record<ApiErrorCode, number>>;

/** GET /api/v1/client/session: the HTTP status of each error it can answer with. */
export const SESSION_ERROR_STATUS = {
  invalid_token: 401,
  device_revoked: 401,
  user_disabled: 401,
  internal_error: 500,
} as const satisfies Partial<Record<ApiErrorCode, number>>;

/** An ApiError with the endpoint's status for the code and the standard message (or a more precise one). */
export function apiError<C extends ApiErrorCode>(
  statuses: Partial<Record<C, number>>,
  code: C,
  options: { message?: string; headers?: Record<string, string> } = {},
): ApiError {
  return new ApiError(statuses[code] ?? 500, code, options.message ?? API_ERROR_MESSAGES[code], options.headers);
}
