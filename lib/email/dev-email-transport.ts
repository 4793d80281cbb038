import 'server-only';
import { getDb } from '@/lib/db';
import { storeOutboxMessage } from '@/lib/outbox/store-outbox-message';
import { assertSendableEmail } from './assert-sendable-email';
import type { EmailTransport } from './types';

/** No SMTP configured: the message is kept in the outbox table for the dev outbox page. */
export function createDevEmailTransport(): EmailTransport {
  return {
    kind: 'dev',
    async send(msg) {
      assertSendableEmail(msg);
      const id = await storeOutboxMessage(getDb(), {
        channel: 'email',
        recipient: msg.to,
        subject: msg.subject,
        bodyText: msg.text,
        bodyHtml: msg.html,
      });
      console.info(`[outbox] email to ${msg.to}: ${msg.subject}`);
      return { messageId: id };
    },
  };
}
