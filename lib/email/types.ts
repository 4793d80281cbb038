import 'server-only';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface EmailTransport {
  readonly kind: 'smtp' | 'dev';
  send(msg: EmailMessage): Promise<{ messageId: string }>;
}
