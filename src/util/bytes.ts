/**
 * Exact byte round-tripping for names, paths and command lines.
 *
 * Linux names are arbitrary bytes. We decode them as UTF-8 and map every byte that is not part of a
 * valid UTF-8 sequence to a lone surrogate U+DC80..U+DCFF (Python's "surrogateescape", PEP 383).
 * JSON carries lone surrogates as \udcXX escapes, .NET strings hold them, and encodeBytes() turns
 * the string back into the very same bytes. docs/record.md documents this for consumers.
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decode bytes to a string; invalid UTF-8 bytes become U+DC80+byte. */
export function decodeBytes(buf: Uint8Array): string {
  try {
    return UTF8.decode(buf);
  } catch {
    return decodeSlow(buf);
  }
}

function seqLength(buf: Uint8Array, i: number): number {
  const b = buf[i];
  let n: number;
  let min: number;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) { n = 2; min = 0x80; }
  else if (b >= 0xe0 && b <= 0xef) { n = 3; min = 0x800; }
  else if (b >= 0xf0 && b <= 0xf4) { n = 4; min = 0x10000; }
  else return 0;
  if (i + n > buf.length) return 0;
  let cp = b & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const c = buf[i + k];
    if ((c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

function decodeSlow(buf: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < buf.length) {
    const n = seqLength(buf, i);
    if (n === 0) {
      out += String.fromCharCode(0xdc00 + buf[i]);
      i += 1;
    } else {
      out += Buffer.from(buf.subarray(i, i + n)).toString('utf8');
      i += n;
    }
  }
  return out;
}

const LONE_ESCAPE = /[\udc80-\udcff]/;

/** True when the string carries escaped raw bytes (U+DC80..U+DCFF). */
export function hasEscapedBytes(s: string): boolean {
  return LONE_ESCAPE.test(s);
}

/** Encode a string back to the exact bytes decodeBytes() was given. */
export function encodeBytes(s: string): Buffer {
  if (!hasEscapedBytes(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff) {
      // A low surrogate preceded by a high one is a real astral character, not an escape.
      const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
      if (prev >= 0xd800 && prev <= 0xdbff) continue;
      parts.push(Buffer.from(s.slice(start, i), 'utf8'), Buffer.from([c - 0xdc00]));
      start = i + 1;
    }
  }
  parts.push(Buffer.from(s.slice(start), 'utf8'));
  return Buffer.concat(parts);
}
