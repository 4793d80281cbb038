import 'server-only';
export { csvCell, csvRow } from './csv';
export { downloadFilename, streamedDownloadResponse, type DownloadOptions } from './streamed-download';
