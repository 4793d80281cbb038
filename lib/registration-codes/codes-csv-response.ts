import 'server-only';
import { now } from '@/lib/clock';
import { downloadFilename, streamedDownloadResponse } from '@/lib/download';
import { streamValidCodesCsv } from './stream-valid-codes-csv';

/** onramp-registration-codes-YYYY-MM-DD.csv, the date in UTC. */
export function codesCsvFilename(at: Date = now()): string {
  return downloadFilename('onramp-registration-codes', 'csv', at);
}

/** The download of every valid code (streamValidCodesCsv), streamed in flat memory. The caller authorizes the request. */
export function validCodesCsvResponse(): Response {
  return streamedDownloadResponse(streamValidCodesCsv(), { stem: 'onramp-registration-codes', format: 'csv', logLabel: 'registration code download failed' });
}
