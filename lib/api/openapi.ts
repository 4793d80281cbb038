import 'server-only';
import { DEVICE_PLATFORMS } from '@/lib/devices/device-platforms';
import { API_ERROR_MESSAGES, REGISTER_ERROR_STATUS, SESSION_ERROR_STATUS, type ApiErrorCode } from './client-errors';

/** The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) this API describes itself with. */
export interface JsonSchema {
  $ref?: string;
  type?: 'object' | 'string' | 'integer' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  enum?: readonly string[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  examples?: unknown[];
}

interface MediaType {
  schema: JsonSchema;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, MediaType>;
}

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security?: Record<string, string[]>[];
  requestBody?: { required: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Partial<Record<'get' | 'post', Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
  };
}

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const NO_STORE = { 'Cache-Control': { description: 'Always `no-store`.', schema: { type: 'string', enum: ['no-store'] } } } as const;

/** The error envelope restricted to the codes one endpoint can answer with at one status. */
function errorEnvelope(codes: ApiErrorCode[]): JsonSchema {
  return {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', enum: codes },
          message: { type: 'string', description: 'For people: safe to show as it is.' },
        },
      },
    },
  };
}

/** One response per status, listing every error code the endpoint answers with at that status. */
function errorResponses(statuses: Partial<Record<ApiErrorCode, number>>, extraHeaders: Record<number, ResponseObject['headers']> = {}) {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const [code, status] of Object.entries(statuses) as [ApiErrorCode, number][]) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, ResponseObject> = {};
  for (const [status, codes] of byStatus) {
    responses[String(status)] = {
      description: codes.map((c) => `\`${c}\`: ${API_ERROR_MESSAGES[c]}`).join(' '),
      headers: { ...NO_STORE, ...extraHeaders[status] },
      content: json(errorEnvelope(codes)),
    };
  }
  return responses;
}

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Onramp client API',
    version: '1.0.0',
    description:
      'What VPN (SDP) clients call: redeem a one-time registration code to register a device and receive its bearer ' +
      'credential, then present that credential to check the device is still allowed. Errors always use the envelope ' +
      '`{"error":{"code","message"}}`; branch on `code`, show `message`.',
  },
  paths: {
    '/api/v1/client/register': {
      post: {
        operationId: 'registerDevice',
        summary: 'Redeem a registration code and register a device',
        description:
          'A code registers one device, once. Case, spaces and hyphens in the code do not matter. The response carries the ' +
          "device's bearer token: it is shown only here, so keep it. Failed attempts are limited per IP (10 a minute) and " +
          'for everyone together (1,000 an hour); over a limit the answer is 429 with Retry-After.',
        tags: ['client'],
        requestBody: { required: true, content: json(ref('RegisterRequest')) },
        responses: {
          '201': { description: 'The device is registered.', headers: NO_STORE, content: json(ref('RegisterResponse')) },
          ...errorResponses(REGISTER_ERROR_STATUS, {
            429: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^[1-9][0-9]*$' } } },
          }),
        },
      },
    },
    '/api/v1/client/session': {
      get: {
        operationId: 'checkSession',
        summary: "Check the device's credential",
        description:
          'Call with `Authorization: Bearer <token>`. Answers 200 while the device is registered and its user is not ' +
          'disabled; a revocation applies to the very next call.',
        tags: ['client'],
        security: [{ deviceToken: [] }],
        responses: {
          '200': { description: 'The device may connect.', headers: NO_STORE, content: json(ref('SessionResponse')) },
          ...errorResponses(SESSION_ERROR_STATUS, {
            401: { 'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750).', schema: { type: 'string', pattern: '^Bearer( |$)' } } },
          }),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      deviceToken: { type: 'http', scheme: 'bearer', description: 'The token returned once by registerDevice.' },
    },
    schemas: {
      RegisterRequest: {
        type: 'object',
        required: ['code', 'device'],
        properties: {
          code: { type: 'string', maxLength: 64, description: 'The registration code, e.g. ABCD-EFGH-JKMN.', examples: ['ABCD-EFGH-JKMN'] },
          device: ref('DeviceInput'),
        },
      },
      DeviceInput: {
        type: 'object',
        required: ['name', 'platform'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100, description: 'Trimmed; 1 to 100 characters.', examples: ["Alice's laptop"] },
          platform: { type: 'string', enum: DEVICE_PLATFORMS },
        },
      },
      RegisterResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['deviceId', 'token', 'user'],
        properties: {
          deviceId: { type: 'string', format: 'uuid', pattern: UUID_PATTERN },
          token: {
            type: 'string',
            pattern: '^[A-Za-z0-9_-]{43}$',
            description: "The device's bearer credential (256 random bits, base64url). Returned only in this response.",
          },
          user: ref('User'),
        },
      },
      SessionResponse: {
        type: 'object',
        additionalProperties: false,
        required: ['deviceId', 'status', 'user'],
        properties: {
          deviceId: { type: 'string', format: 'uuid', pattern: UUID_PATTERN },
          status: { type: 'string', enum: ['active'] },
          user: ref('User'),
        },
      },
      User: {
        type: 'object',
        additionalProperties: false,
        required: ['email', 'firstName', 'lastName'],
        properties: {
          email: { type: 'string', format: 'email' },
          firstName: { type: 'string' },
          lastName: { type: 'string' },
        },
      },
    },
  },
};
