import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decodeBytes, encodeBytes, hasEscapedBytes } from '../../src/util/bytes.js';
import { guardFormula, terminalSafe, unguardFormula } from '../../src/util/display.js';

describe('exact bytes (surrogateescape)', () => {
  it('leaves valid UTF-8 alone, including astral characters', () => {
    const s = 'sshd ü 漢字 😀 "a,b"\n';
    expect(decodeBytes(Buffer.from(s))).toBe(s);
    expect(hasEscapedBytes(s)).toBe(false);
    expect(encodeBytes(s)).toEqual(Buffer.from(s));
  });

  it('maps invalid bytes to U+DC80..U+DCFF and back', () => {
    const raw = Buffer.from([0x2f, 0xff, 0xfe, 0x41, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98]);
    const s = decodeBytes(raw);
    expect(s.startsWith('/\udcff\udcfeA\udcc3(')).toBe(true);
    expect(encodeBytes(s)).toEqual(raw);
  });

  it('round-trips 2000 random byte strings exactly', () => {
    for (let i = 0; i < 2000; i++) {
      const raw = randomBytes(1 + (i % 64));
      expect(encodeBytes(decodeBytes(raw)).equals(raw)).toBe(true);
    }
  });
});

describe('display safety', () => {
  it('shows control characters, C1 CSI and raw bytes as \\xNN in terminals', () => {
    expect(terminalSafe('a\x1b[31mred\x07\u009b2J\udcff')).toBe('a\\x1b[31mred\\x07\\x9b2J\\xff');
    expect(terminalSafe('plain ü')).toBe('plain ü');
  });

  it('guards spreadsheet formulas reversibly', () => {
    for (const s of ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', "'quoted", "''", '\tx', '\rx', 'plain', '']) {
      const g = guardFormula(s);
      expect(/^[=+\-@\t\r]/.test(g)).toBe(false);
      expect(unguardFormula(g)).toBe(s);
    }
  });
});
