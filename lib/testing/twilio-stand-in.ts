import { randomBytes } from 'node:crypto';
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
    sendJson(res, 201, messageResource(accountSid, record.form));
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
