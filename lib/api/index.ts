import 'server-only';
export { ApiError, errorResponse } from './api-error';
export { API_ERROR_MESSAGES, REGISTER_ERROR_STATUS, SESSION_ERROR_STATUS, apiError, type ApiErrorCode } from './client-errors';
export { bearerChallenge, bearerTokenOf } from './bearer-token';
export { readJsonBody } from './read-json-body';
export { withClientApi } from './with-client-api';
export { openApiDocument, type OpenApiDocument, type JsonSchema } from './openapi';
