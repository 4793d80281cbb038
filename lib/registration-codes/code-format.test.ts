import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, formatCode, generateCodeValue, normaliseCode } from './code-format';
import { codeLookup, decryptCode, encryptCode } from './code-secrets';

describe('registration code format', () => {
  it('uses 31 unambiguous symbols', () => {
    expect(CODE_ALPHABET).toHaveLength(31);
    expect(new Set(CODE_ALPHABET).size).toBe(31);
    for (const confusable of ['0', '1', 'O', 'I', 'L']) expect(CODE_ALPHABET).not.toContain(confusable);
  });

  it('generates 12 symbols from the alphabet by default, and any length from 10 to 24', () => {
    const code = generateCodeValue();
    expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{12}$`));
    for (const length of [10, 16, 24]) expect(generateCodeValue(length)).toHaveLength(length);
    expect(() => generateCodeValue(9)).toThrow(RangeError);
    expect(() => generateCodeValue(25)).toThrow(RangeError);
  });

  it('draws every symbol, with no symbol far from its share (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) for (const s of generateCodeValue(24)) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect(counts.size).toBe(31);
    // 48,000 draws: each symbol expects ~1,548 (σ ≈ 39); 1,350..1,750 is a > 5σ band.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(1_350);
      expect(n).toBeLessThan(1_750);
    }
  });

  it('groups the display form by four', () => {
    expect(formatCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(formatCode('ABCDEFGHJK')).toBe('ABCD-EFGH-JK');
    expect(formatCode('23456789ABCDEFGHJKMNPQRS')).toBe('2345-6789-ABCD-EFGH-JKMN-PQRS');
  });

  it('normalises case, spaces and hyphens', () => {
    expect(normaliseCode('ABCD-EFGH-JKMN')).toBe('ABCDEFGHJKMN');
    expect(normaliseCode('abcd-efgh-jkmn')).toBe('ABCDEFGHJKMN');
    expect(normaliseCode(' abcd efgh  jkmn ')).toBe('ABCDEFGHJKMN');
    expect(normaliseCode('AbCd--EfGh\tJkMn')).toBe('ABCDEFGHJKMN');
  });

  it.each([
    ['ABCD-EFGH-JKMO', 'letter O'],
    ['ABCD-EFGH-JKM0', 'digit 0'],
    ['ABCD-EFGH-JKM1', 'digit 1'],
    ['ABCD-EFGH-JKMI', 'letter I'],
    ['abcd-efgh-jkml', 'letter l'],
    ['ABCD_EFGH_JKMN', 'underscore'],
    ['ABCD.EFGH.JKMN', 'dots'],
    ['ABCD-EFGH-JKMß', 'a letter that upper-cases to SS'],
    ['ABCD-EFGH-JKMＡ', 'a full-width letter'],
    ['ABCD-EFGH-J', 'too short'],
    ['ABCD-EFGH-JKMN-PQRS-TUVW-XYZ2-3', 'too long'],
    ['', 'empty'],
  ])('refuses %j (%s) as a format error', (input) => {
    expect(normaliseCode(input)).toBeUndefined();
  });

  it('keeps codes as an HMAC lookup and an AES-GCM ciphertext bound to the user', () => {
    const code = generateCodeValue();
    expect(codeLookup(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(codeLookup(code)).toBe(codeLookup(code));
    expect(codeLookup(code)).not.toBe(codeLookup(generateCodeValue()));
    const userId = '6b1f9c1e-8f5a-4c55-9d2b-3f0a1b2c3d4e';
    const a = encryptCode(code, userId);
    const b = encryptCode(code, userId);
    expect(a).not.toBe(b); // a fresh IV each time
    expect(a).not.toContain(code);
    expect(decryptCode(a, userId)).toBe(code);
    expect(() => decryptCode(a, '00000000-0000-4000-8000-000000000000')).toThrow();
    const tampered = Buffer.from(a, 'base64');
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    expect(() => decryptCode(tampered.toString('base64'), userId)).toThrow();
  });
});
