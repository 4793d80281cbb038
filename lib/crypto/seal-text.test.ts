import { describe, expect, it } from 'vitest';
import { deriveDataKey, openText, sealText } from '.';

describe('sealText / openText', () => {
  it('round-trips, hides the text, and refuses another purpose key or another place', () => {
    const key = deriveDataKey('test purpose');
    const sealed = sealText(key, 'ü secret', 'row-1');
    expect(sealed).not.toContain('secret');
    expect(sealText(key, 'ü secret', 'row-1')).not.toBe(sealed);
    expect(openText(key, sealed, 'row-1')).toBe('ü secret');
    expect(() => openText(key, sealed, 'row-2')).toThrow();
    expect(() => openText(deriveDataKey('other purpose'), sealed, 'row-1')).toThrow();
    expect(deriveDataKey('test purpose')).toBe(key);
  });
});
