import 'server-only';
import { getDb } from '@/lib/db';
import { storeOutboxMessage } from '@/lib/outbox/store-outbox-message';
import { assertSendableSms } from './assert-sendable-sms';
import type { SmsTransport } from './types';

/**
 * No Twilio configured: the message is kept in the outbox table for the dev outbox page.
 * The body is not logged: it carries one-time codes.
 */
export function createDevSmsTransport(): SmsTransport {
  return {
    kind: 'dev',
    async send(msg) {
      assertSendableSms(msg);
      const id = await storeOutboxMessage(getDb(), { channel: 'sms', recipient: msg.to, bodyText: msg.body });
      console.info(`[outbox] sms to ${msg.to}`);
      return { sid: id, status: 'delivered' };
    },
  };
}
