import 'server-only';
import { now } from '@/lib/clock';
import { errorFields, log } from '@/lib/log';

/** Excel reads a CSV file as UTF-8 only when it starts with a byte order mark. */
const BOM = '\uFEFF';

export interface DownloadOptions {
  /** The file name's stem; the UTC date and the extension are added: `<stem>-YYYY-MM-DD.<ext>`. */
  stem: string;
  format: 'csv' | 'jsonl';
  /** What the server log says when the stream fails half-way. */
  logLabel: string;
}

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' } as const;

/** `<stem>-YYYY-MM-DD.<ext>`, the date in UTC. */
export function downloadFilename(stem: string, format: DownloadOptions['format'], at: Date = now()): string {
  return `${stem}-${at.toISOString().slice(0, 10)}.${format}`;
}

/**
 * An attachment streamed chunk by chunk as the client reads it (memory stays flat), never cached.
 * The caller authorizes the request. A failure half-way aborts the stream, so the client sees a
 * failed download rather than a short file.
 */
export function streamedDownloadResponse(chunks: AsyncGenerator<string>, options: DownloadOptions): Response {
  const encoder = new TextEncoder();
  let first = options.format === 'csv';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(first ? `${BOM}${next.value}` : next.value));
        first = false;
      } catch (error) {
        log.error(options.logLabel, errorFields(error));
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': CONTENT_TYPES[options.format],
      'Content-Disposition': `attachment; filename="${downloadFilename(options.stem, options.format)}"`,
      'Cache-Control': 'no-store',
    },
  });
}
