import 'server-only';
import { now } from '@/lib/clock';
import { errorFields, log } from '@/lib/log';
import { streamValidCodesCsv } from './stream-valid-codes-csv';

/** Excel reads a CSV file as UTF-8 only when it starts with a byte order mark. */
const BOM = '\uFEFF';

/** onramp-registration-codes-YYYY-MM-DD.csv, the date in UTC. */
export function codesCsvFilename(at: Date = now()): string {
  return `onramp-registration-codes-${at.toISOString().slice(0, 10)}.csv`;
}

/**
 * The download of every valid code (streamValidCodesCsv) as an attachment: streamed page by page as
 * the client reads it, so memory stays flat, never cached. The caller authorizes the request.
 * A failure half-way aborts the stream, so the client sees a failed download rather than a short file.
 */
export function validCodesCsvResponse(): Response {
  const encoder = new TextEncoder();
  const chunks = streamValidCodesCsv();
  let first = true;
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
        log.error('registration code download failed', errorFields(error));
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${codesCsvFilename()}"`,
      'Cache-Control': 'no-store',
    },
  });
}
