/**
 * Log text decoding: UTF-16LE (with a BOM, or recognised by its zero bytes), UTF-8 (with or without
 * a BOM; bytes that are not UTF-8 kept exactly, as U+DC80+byte), or an ANSI code page (Windows-1252)
 * for old Windows logs that are not valid UTF-8. Line endings: CRLF or LF.
 */
import { decodeBytes } from '../util/bytes.js';

export type TextEncoding = 'utf-16le' | 'utf-8' | 'windows-1252';

/** Guess the encoding from the first bytes. */
export function detectEncoding(head: Uint8Array): TextEncoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  // UTF-16LE without a BOM: ASCII text has a zero in every odd byte.
  let zeros = 0;
  const n = Math.min(head.length, 512) & ~1;
  for (let i = 1; i < n; i += 2) if (head[i] === 0) zeros++;
  if (n >= 8 && zeros >= (n / 2) * 0.9) return 'utf-16le';
  return 'utf-8';
}

const CP1252 = new TextDecoder('windows-1252');
const UTF16 = new TextDecoder('utf-16le');
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode a whole (small) file. UTF-8 that does not validate is decoded as Windows-1252 when its
 * invalid bytes look like an ANSI code page (old Windows logs); exact bytes are kept otherwise.
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding = detectEncoding(bytes)): { text: string; encoding: TextEncoding } {
  if (encoding === 'utf-16le') {
    const start = bytes[0] === 0xff && bytes[1] === 0xfe ? 2 : 0;
    return { text: UTF16.decode(bytes.subarray(start)), encoding };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return { text: STRICT_UTF8.decode(body), encoding: 'utf-8' };
  } catch {
    return encoding === 'windows-1252' ? { text: CP1252.decode(body), encoding } : { text: decodeBytes(body), encoding: 'utf-8' };
  }
}

/** Split text into lines on CRLF or LF (a final empty line is dropped). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
