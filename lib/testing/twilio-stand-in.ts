import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json).
 * Point TWILIO_API_BASE_URL at it; it records every request and answers the way Twilio does,
 * including Twilio's error bodies when told to fail.
 */

export interface TwilioRequestRecord {
  method: string;
  /** Path and query, e.g. /2010-04-01/Accounts/AC.../Messages.json */
  path: string;
  /** The form-decoded request body (To, From, Body, MessagingServiceSid, StatusCallback...). */
  form: Record<string, string>;
  authorization: string | undefined;
  /** The sid of the message created, when the request created one. */
  sid?: string;
}

export interface TwilioErrorReply {
  status: number;
  code: number;
  message: string;
}

/** Errors as Twilio answers them. */
export const TWILIO_ERRORS = {
  invalidTo: { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." },
  regionNotEnabled: {
    status: 400,
    code: 21408,
    message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  },
  unsubscribed: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  tooManyRequests: { status: 429, code: 20429, message: 'Too Many Requests' },
} as const satisfies Record<string, TwilioErrorReply>;

export interface TwilioStandIn {
  /** http://127.0.0.1:<port>, for TWILIO_API_BASE_URL. */
  baseUrl: string;
  requests: TwilioRequestRecord[];
  /** Answer the next message creations with these errors, in order. */
  failNext(...replies: TwilioErrorReply[]): void;
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<TwilioRequestRecord[]>;
  close(): Promise<void>;
}

export interface TwilioStandInOptions {
  /** When set, requests with another auth token are refused with 401 / 20003 like Twilio does. */
  authToken?: string;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

export async function startTwilioStandIn(options: TwilioStandInOptions = {}): Promise<TwilioStandIn> {
  const requests: TwilioRequestRecord[] = [];
  const failures: TwilioErrorReply[] = [];
  const waiters: Array<{ count: number; resolve: (r: TwilioRequestRecord[]) => void }> = [];
  const settleWaiters = () => {
    for (const w of [...waiters]) {
      if (requests.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(requests);
      }
    }
  };

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const record: TwilioRequestRecord = {
        method: req.method ?? '',
        path: req.url ?? '',
        form: Object.fromEntries(new URLSearchParams(body)),
        authorization: req.headers.authorization,
      };
      requests.push(record);
      answer(record, res);
      settleWaiters();
    });
  });

  function answer(record: TwilioRequestRecord, res: ServerResponse): void {
    const accountSid = MESSAGES_PATH.exec(record.path.split('?')[0] ?? '')?.[1];
    if (!accountSid || record.method !== 'POST') {
      return sendError(res, { status: 404, code: 20404, message: `The requested resource ${record.path} was not found` });
    }
    const credentials = basicCredentials(record.authorization);
    if (credentials?.user !== accountSid || (options.authToken && credentials.password !== options.authToken)) {
      return sendError(res, { status: 401, code: 20003, message: 'Authenticate' });
    }
    const failure = failures.shift();
    if (failure) return sendError(res, failure);
    const resource = messageResource(accountSid, record.form);
    record.sid = resource.sid as string;
    sendJson(res, 201, resource);
  }

  const listener = server.listen(0, '127.0.0.1');
  if (!listener.listening) await once(listener, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    failNext: (...replies) => void failures.push(...replies),
    waitForRequests(count) {
      return new Promise((resolve) => {
        waiters.push({ count, resolve });
        settleWaiters();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A new Message resource as Twilio returns it from a create. */
function messageResource(accountSid: string, form: Record<string, string>): Record<string, unknown> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  const viaService = Boolean(form.MessagingServiceSid);
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: form.Body ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.From ?? null,
    messaging_service_sid: form.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid,
    status: viaService && !form.From ? 'accepted' : 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to: form.To ?? '',
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  };
}

function sendError(res: ServerResponse, reply: TwilioErrorReply): void {
  sendJson(res, reply.status, {
    code: reply.code,
    message: reply.message,
    more_info: `https://www.twilio.com/docs/errors/${reply.code}`,
    status: reply.status,
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const encoded = /^Basic (.+)$/.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// ---- Status callbacks, signed the way Twilio signs them ------------------------------------------

export interface StatusCallbackInput {
  /** The message sid (MessageSid). */
  sid: string;
  /** queued, sent, delivered, undelivered, failed… (MessageStatus). */
  status: string;
  errorCode?: number;
  errorMessage?: string;
  accountSid?: string;
  to?: string;
}

/** The form parameters Twilio posts to a statusCallback URL. */
export function statusCallbackParams(input: StatusCallbackInput): Record<string, string> {
  return {
    ...(input.accountSid ? { AccountSid: input.accountSid } : {}),
    ApiVersion: '2010-04-01',
    MessageSid: input.sid,
    SmsSid: input.sid,
    MessageStatus: input.status,
    SmsStatus: input.status,
    ...(input.to ? { To: input.to } : {}),
    ...(input.errorCode !== undefined ? { ErrorCode: String(input.errorCode) } : {}),
    ...(input.errorMessage !== undefined ? { ErrorMessage: input.errorMessage } : {}),
  };
}

/** X-Twilio-Signature for `url` and `params`, computed by the twilio SDK's own function. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface SignedCallbackOptions {
  /** The auth token to sign with (the test one; a wrong one forges the signature). */
  authToken: string;
  /** The URL Twilio was given (what the signature covers). */
  signedUrl: string;
  /** Where the request actually goes; defaults to signedUrl. */
  requestUrl?: string;
  /** Overrides the computed signature (null: send none). */
  signature?: string | null;
  headers?: Record<string, string>;
}

/** A status callback Request as Twilio would post it (form body, X-Twilio-Signature). */
export function signedStatusCallbackRequest(params: Record<string, string>, options: SignedCallbackOptions): Request {
  const signature = options.signature === undefined ? twilioSignature(options.authToken, options.signedUrl, params) : options.signature;
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    'User-Agent': 'TwilioProxy/1.1',
    ...options.headers,
  };
  if (signature !== null) headers['X-Twilio-Signature'] = signature;
  return new Request(options.requestUrl ?? options.signedUrl, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
}

/** Posts a signed status callback over HTTP (e2e: against a running server). */
export function postStatusCallback(params: Record<string, string>, options: SignedCallbackOptions): Promise<Response> {
  return fetch(signedStatusCallbackRequest(params, options));
}
