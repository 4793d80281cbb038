import 'server-only';
import QRCode from 'qrcode';

/** The accessible name of the QR code: it names what it holds, never the credential itself. */
export const CREDENTIAL_QR_LABEL = 'QR code of the device credential';

/**
 * Exactly what qrcode's SVG renderer writes: a square <svg> with a white background <path> and one
 * <path> drawing the dark modules, nothing else. The input never appears in the markup (only module
 * coordinates do), and checking the whole string against this shape is what makes it safe to insert
 * as HTML even if the library's output changed.
 */
const QR_SVG =
  /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="(\d+)" height="\1" viewBox="0 0 \d+ \d+" shape-rendering="crispEdges"><path fill="#ffffff" d="[MHVmhvz0-9. ]+"\/><path stroke="#000000" d="[MHVmhvz0-9. ]+"\/><\/svg>\n?$/;

/**
 * The device credential as a QR code, for mobile VPN clients to scan: SVG markup with role="img" and
 * an aria-label, rendered on the server. Error correction M and the standard 4-module quiet zone.
 * Logs nothing; throws if the markup is not the expected shape.
 */
export async function renderCredentialQr(credential: string, widthPx = 224): Promise<string> {
  const svg = await QRCode.toString(credential, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: widthPx });
  if (!QR_SVG.test(svg)) throw new Error('The QR code renderer produced unexpected markup.');
  return svg.trim().replace('<svg ', `<svg role="img" aria-label="${CREDENTIAL_QR_LABEL}" focusable="false" `);
}
