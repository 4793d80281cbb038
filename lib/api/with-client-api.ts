import 'server-only';
import { randomUUID } from 'node:crypto';
import { errorFields, log } from '@/lib/log';
import { ApiError, errorResponse } from './api-error';
import { API_ERROR_MESSAGES } from './client-errors';

type RouteHandler<C> = (request: Request, context: C) => Promise<Response>;

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

/** JSON only, in UTF-8 (RFC 8259): application/json or any application/*+json type. */
function isJson(contentType: string | null): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type ?? '')) && (!charset || charset === 'utf-8');
}

/**
 * Wraps a client API route handler: requests with a body must be JSON; an ApiError becomes the JSON
 * error envelope with its status and headers; anything else is logged with a reference and answered
 * with a generic 500 internal_error. Every answer carries Cache-Control: no-store.
 */
export function withClientApi<C>(handler: RouteHandler<C>): RouteHandler<C> {
  return async (request, context) => {
    let response: Response;
    try {
      if (!BODYLESS.has(request.method) && !isJson(request.headers.get('content-type'))) {
        throw new ApiError(400, 'invalid_request', 'Send the body as JSON, with Content-Type: application/json.');
      }
      response = await handler(request, context);
    } catch (error) {
      response = error instanceof ApiError ? errorResponse(error) : unexpected(request, error);
    }
    response.headers.set('Cache-Control', 'no-store');
    return response;
  };
}

function unexpected(request: Request, error: unknown): Response {
  const reference = randomUUID().slice(0, 8);
  log.error('client API request failed', { reference, method: request.method, path: new URL(request.url).pathname, ...errorFields(error) });
  return errorResponse(new ApiError(500, 'internal_error', `${API_ERROR_MESSAGES.internal_error} Reference: ${reference}.`));
}
