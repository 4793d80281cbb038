/**
 * A DN reduced to a form two spellings of the same DN share: attribute names and values lower-cased,
 * escapes (`\,` and `\2C`) decoded, spaces around separators dropped. For comparing group members
 * with entry DNs, never for sending to the server.
 */
export function normaliseDn(dn: string): string {
  const rdns: string[] = [];
  let ava = '';
  const avas: string[] = [];
  const flushAva = () => {
    const eq = ava.indexOf('=');
    const attr = (eq < 0 ? ava : ava.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : ava.slice(eq + 1).trim();
    avas.push(`${attr}=${value.toLowerCase()}`);
    ava = '';
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        // Collect consecutive \XX bytes so multi-byte UTF-8 decodes as one character.
        const bytes: number[] = [];
        while (dn[i] === '\\' && /^[0-9A-Fa-f]{2}$/.test(dn.slice(i + 1, i + 3))) {
          bytes.push(parseInt(dn.slice(i + 1, i + 3), 16));
          i += 3;
        }
        i--;
        ava += `\u0001${Buffer.from(bytes).toString('utf8')}`;
      } else {
        ava += `\u0001${dn[i + 1]}`;
        i++;
      }
    } else if (c === '+') flushAva();
    else if (c === ',' || c === ';') {
      flushAva();
      rdns.push(avas.sort().join('+'));
      avas.length = 0;
    } else ava += c;
  }
  flushAva();
  rdns.push(avas.sort().join('+'));
  // \u0001 only marked escaped characters so trimming kept escaped spaces; drop the marks now.
  return rdns.join(',').replace(/\u0001/g, '');
}
