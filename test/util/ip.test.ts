import { describe, expect, it } from 'vitest';
import { parseAddressPattern } from '../../src/util/ip.js';

describe('address patterns', () => {
  it('matches single addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(parseAddressPattern('127.0.0.0/8').matches('127.1.2.3')).toBe(true);
    expect(parseAddressPattern('127.0.0.0/8').matches('128.0.0.1')).toBe(false);
    expect(parseAddressPattern('10.0.0.5').matches('10.0.0.5')).toBe(true);
    expect(parseAddressPattern('10.0.0.5').matches('10.0.0.6')).toBe(false);
    expect(parseAddressPattern('::1').matches('::1')).toBe(true);
    expect(parseAddressPattern('fe80::/10').matches('fe80::27a:eff:fed0:c3a9')).toBe(true);
    expect(parseAddressPattern('fe80::/10').matches('2001:db8::1')).toBe(false);
    expect(parseAddressPattern('2001:db8::/32').matches('2001:db8:ffff::1')).toBe(true);
    expect(parseAddressPattern('0.0.0.0/0').matches('::1')).toBe(false);
  });

  it('IPv4 patterns match IPv4-mapped IPv6 addresses', () => {
    expect(parseAddressPattern('127.0.0.1').matches('::ffff:127.0.0.1')).toBe(true);
    expect(parseAddressPattern('::ffff:127.0.0.0/104').matches('::ffff:127.9.9.9')).toBe(true);
  });

  it('rejects what is not an address, naming it', () => {
    expect(() => parseAddressPattern('10.0.0.300')).toThrow(/"10.0.0.300" is not an IP address/);
    expect(() => parseAddressPattern('10.0.0.0/33')).toThrow(/prefix length must be 0-32/);
    expect(() => parseAddressPattern('::/x')).toThrow(/prefix length/);
  });
});
