/** IP address and CIDR matching for filters and watch lists. */
import { isIPv4, isIPv6 } from 'node:net';

export class AddressPatternError extends Error {
  readonly code = 'PR_BAD_ADDRESS';
}

function v4ToBig(a: string): bigint {
  return a.split('.').reduce((n, p) => (n << 8n) | BigInt(Number(p)), 0n);
}

function v6ToBig(a: string): bigint {
  let s = a;
  let tail = 0n;
  let tailWords = 0;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    tail = v4ToBig(dotted[1]);
    tailWords = 2;
    s = s.slice(0, -dotted[1].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, null];
  const h = head ? head.split(':').filter((x) => x !== '') : [];
  const r = rest ? rest.split(':').filter((x) => x !== '') : [];
  const zeros = 8 - tailWords - h.length - r.length;
  const words = [...h, ...Array(rest !== null ? zeros : 0).fill('0'), ...r];
  let n = 0n;
  for (const w of words) n = (n << 16n) | BigInt(parseInt(w, 16));
  return (n << BigInt(tailWords * 16)) | tail;
}

const MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** An IPv4-mapped IPv6 address (::ffff:203.0.113.80, as dual-stack sockets show it) as the IPv4 address it is; others as they are. */
export function unmapIPv4(a: string | null): string | null {
  if (a === null || a.length < 14 || a.charCodeAt(0) !== 0x3a) return a;
  // The pattern alone (no octet check), exactly as the SQL form in analyze/engine/load.ts.
  const m = MAPPED.exec(a);
  return m ? m[1] : a;
}

export interface AddressPattern {
  text: string;
  matches(address: string): boolean;
}

/** Parse "10.0.0.1", "10.0.0.0/8", "::1", "fe80::/10". IPv4 patterns also match IPv4-mapped IPv6. */
export function parseAddressPattern(text: string): AddressPattern {
  const [addr, bitsText] = text.split('/', 2);
  const v4 = isIPv4(addr);
  if (!v4 && !isIPv6(addr)) throw new AddressPatternError(`"${text}" is not an IP address or CIDR range`);
  const width = v4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width || (bitsText !== undefined && !/^\d+$/.test(bitsText))) {
    throw new AddressPatternError(`"${text}": prefix length must be 0-${width}`);
  }
  const shift = BigInt(width - bits);
  const base = (v4 ? v4ToBig(addr) : v6ToBig(addr)) >> shift;
  return {
    text,
    matches(address: string): boolean {
      let a = address;
      if (v4 && a.startsWith('::ffff:') && isIPv4(a.slice(7))) a = a.slice(7);
      if (v4 ? !isIPv4(a) : !isIPv6(a)) return false;
      return ((v4 ? v4ToBig(a) : v6ToBig(a)) >> shift) === base;
    },
  };
}
