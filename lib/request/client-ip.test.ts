import { describe, expect, it } from 'vitest';
import { PEER_HEADER, resolveClientIp } from './client-ip';

const h = (init: Record<string, string>) => new Headers(init);

describe('client IP', () => {
  it('uses the socket peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(resolveClientIp(h({ [PEER_HEADER]: '198.51.100.7', 'x-forwarded-for': '1.2.3.4' }), 0)).toBe('198.51.100.7');
  });
  it('takes the address added by the trusted proxy, not what the client wrote', () => {
    const headers = h({ [PEER_HEADER]: '10.0.0.2', 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
    expect(resolveClientIp(headers, 1)).toBe('203.0.113.9');
    expect(resolveClientIp(headers, 2)).toBe('6.6.6.6');
  });
  it('never walks past the left end of the chain', () => {
    expect(resolveClientIp(h({ [PEER_HEADER]: '10.0.0.2', 'x-forwarded-for': '203.0.113.9' }), 5)).toBe('203.0.113.9');
  });
  it('normalises IPv4-mapped IPv6 and says unknown without a peer', () => {
    expect(resolveClientIp(h({ [PEER_HEADER]: '::ffff:127.0.0.1' }), 0)).toBe('127.0.0.1');
    expect(resolveClientIp(h({ 'x-forwarded-for': '1.2.3.4' }), 0)).toBe('unknown');
  });
});
