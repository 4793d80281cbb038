import 'server-only';

/** The message itself is unacceptable (bad address, header injection attempt); nothing was sent. */
export class InvalidEmailMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEmailMessageError';
  }
}

/** The mail server could not be reached or refused the message. */
export class EmailSendError extends Error {
  /** The SMTP reply code when the server answered (e.g. 550), else undefined. */
  readonly responseCode: number | undefined;

  constructor(to: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Email to ${to} was not sent: ${reason}`, { cause });
    this.name = 'EmailSendError';
    const code = (cause as { responseCode?: unknown } | null)?.responseCode;
    this.responseCode = typeof code === 'number' ? code : undefined;
  }
}
