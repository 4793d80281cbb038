import QRCode from 'qrcode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateToken } from '@/lib/crypto';
import { CREDENTIAL_QR_LABEL, renderCredentialQr } from './credential-qr';

/** The dark modules an SVG path draws, read back from its M/m/h commands (the renderer's whole vocabulary). */
function modulesDrawn(d: string, margin: number): Set<string> {
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])([\d.]+)(?: ([\d.]+))?/g)) {
    if (cmd === 'M') [x, y] = [Number(a), Number(b)];
    else if (cmd === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else {
      for (let i = 0; i < Number(a); i++) dark.add(`${x + i - margin},${Math.floor(y) - margin}`);
      x += Number(a);
    }
  }
  return dark;
}

/** The dark modules of the QR code that encodes `text` at error correction M. */
function modulesExpected(text: string): Set<string> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const dark = new Set<string>();
  for (let row = 0; row < modules.size; row++) for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) dark.add(`${col},${row}`);
  return dark;
}

const written: string[] = [];
beforeEach(() => {
  written.length = 0;
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' ')));
  }
});
afterEach(() => vi.restoreAllMocks());

describe('renderCredentialQr', () => {
  it('draws exactly the QR code of the credential, as an SVG image with an accessible name', async () => {
    const credential = generateToken(32);
    const svg = await renderCredentialQr(credential);
    expect(svg).toMatch(new RegExp(`^<svg role="img" aria-label="${CREDENTIAL_QR_LABEL}" focusable="false" xmlns="http://www.w3.org/2000/svg" width="224" height="224" viewBox="0 0 (\\d+) \\1"`));
    expect(svg.endsWith('</svg>')).toBe(true);
    const d = /<path stroke="#000000" d="([^"]+)"\/>/.exec(svg)![1]!;
    const drawn = modulesDrawn(d, 4);
    expect(drawn.size).toBeGreaterThan(100);
    expect(drawn).toEqual(modulesExpected(credential));
    // A different credential draws a different code.
    expect(modulesDrawn(/stroke="#000000" d="([^"]+)"/.exec(await renderCredentialQr(generateToken(32)))![1]!, 4)).not.toEqual(drawn);
  });

  it('keeps the credential out of the markup and out of the logs', async () => {
    const credential = generateToken(32);
    const svg = await renderCredentialQr(credential, 160);
    expect(svg).toContain('width="160" height="160"');
    expect(svg).not.toContain(credential);
    expect(svg).not.toMatch(/<script|<foreignObject|\son[a-z]+=|href=|style=/i);
    expect(written).toEqual([]);
  });

  it('encodes whatever it is given only as modules, so markup in the input cannot reach the page', async () => {
    const hostile = '"/><script>alert(1)</script><svg onload="x';
    const svg = await renderCredentialQr(hostile);
    expect(svg).not.toContain('script');
    expect(svg).not.toContain('onload');
    expect(modulesDrawn(/stroke="#000000" d="([^"]+)"/.exec(svg)![1]!, 4)).toEqual(modulesExpected(hostile));
    expect(written).toEqual([]);
  });
});
