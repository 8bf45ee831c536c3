/**
 * Lines for the rows a DuckDB scan returns (duckscan.ts); newlines counted by nlcount.ts. DuckDB's CSV reader knows no line
 * numbers, and numbering its rows in SQL makes the scan run on one thread. So the file is read
 * once more, here, front to back and only as far as needed: each returned row is found as a whole
 * line after the one before it, and its line is the newlines counted up to it.
 *
 * The same pass stops at the first line where a DuckDB row and a line of the file could part
 * ways: a quote (a quoted cell may span lines, a stray one may be parsed otherwise), a blank line
 * (DuckDB skips it without a word), or a line longer than any row. Everything from there on is
 * left to the streaming importer.
 */
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { countNewlines, region, REGION } from './nlcount.js';

const readAsync = promisify(read);
const NL = 0x0a;
const QUOTE = 0x22;
const CHUNK = REGION;

export type Located = { line: number } | { irregular: number };

export class LineLocator {
  /** Whole lines of the file from byte winAt; pos is the start of the next line not yet passed, line its number. */
  private win: Buffer = Buffer.alloc(0);
  private winAt = 0;
  private pos = 0;
  private line = 1;
  private next = 0;
  private eof = false;

  constructor(private fd: number) {}

  /** How far into the file the rows located so far reach, in bytes. */
  get offset(): number {
    return this.winAt + this.pos;
  }

  /** The line holding exactly `text` (a row's cells joined by commas) after the last one found. */
  async locate(text: Buffer): Promise<Located> {
    if (this.line === 1) {
      // The header: the first line.
      for (;;) {
        const nl = this.win.indexOf(NL, this.pos);
        if (nl >= 0) { this.pos = nl + 1; this.line = 2; break; }
        if (!(await this.more())) return { irregular: 1 };
      }
    }
    // Not found before the end (DuckDB gave a row this reads otherwise): the rest from here streams.
    const from = this.line;
    for (;;) {
      let o = this.win.indexOf(text, this.pos);
      while (o >= 0 && !((o === this.pos || this.win[o - 1] === NL) && this.win[o + text.length] === NL)) o = this.win.indexOf(text, o + 1);
      // The row's own line is checked too: a line with a quote is the streaming reader's, found or not.
      const end = o >= 0 ? o + text.length + 1 : this.win.length;
      const bad = irregularAt(this.win, this.pos, end);
      if (bad >= 0) { this.count(bad); return { irregular: this.line }; }
      if (o >= 0) {
        this.count(o);
        const line = this.line;
        this.count(o + text.length + 1);
        return { line };
      }
      this.count(end);
      if (!(await this.more())) return { irregular: from };
    }
  }

  /** After the last row: the first irregular line in the rest of the file, or null. Lines are counted only if one is found. */
  async rest(): Promise<number | null> {
    const from = this.winAt + this.pos;
    const line = this.line;
    for (;;) {
      const bad = irregularAt(this.win, this.pos, this.win.length);
      if (bad >= 0) return line + await this.newlines(from, this.winAt + bad);
      this.pos = this.win.length;
      if (!(await this.more())) return this.eof ? null : line + await this.newlines(from, this.winAt + this.pos);
    }
  }

  private count(to: number): void {
    this.line += countNewlines(this.win, this.pos, to);
    this.pos = to;
  }

  private async newlines(from: number, to: number): Promise<number> {
    const buf = region(1);
    let n = 0;
    for (let at = from; at < to;) {
      const { bytesRead } = await readAsync(this.fd, buf, 0, Math.min(CHUNK, to - at), at);
      if (bytesRead === 0) break;
      n += countNewlines(buf, 0, bytesRead);
      at += bytesRead;
    }
    return n;
  }

  /**
   * The next whole lines (an unfinished last line is read again next time); false at the end of
   * the file (eof), or at a line longer than a chunk, far past any row (not eof).
   */
  private async more(): Promise<boolean> {
    if (this.eof) return false;
    const chunk = region(0); // the window before this one is passed: its bytes are not needed again
    const { bytesRead } = await readAsync(this.fd, chunk, 0, CHUNK, this.next);
    let data = chunk.subarray(0, bytesRead);
    if (bytesRead < CHUNK) {
      this.eof = true;
      if (bytesRead === 0) return false;
      if (data[bytesRead - 1] !== NL) { chunk[bytesRead] = NL; data = chunk.subarray(0, bytesRead + 1); } // the last line without its newline
    }
    const last = data.lastIndexOf(NL);
    if (last < 0) return false;
    this.winAt = this.next;
    this.win = data.subarray(0, last + 1);
    this.pos = 0;
    this.next += Math.min(last + 1, bytesRead);
    return true;
  }
}

/** The offset in w of the first line in [from, to) (from is a line start) holding a quote or blank; -1 if none. */
function irregularAt(w: Buffer, from: number, to: number): number {
  const span = w.subarray(from, to);
  const q = span.indexOf(QUOTE);
  let blank = span.length && span[0] === NL ? 0 : span.indexOf('\n\n');
  if (blank > 0) blank++;
  const at = q < 0 ? blank : blank < 0 ? q : Math.min(q, blank);
  if (at < 0) return -1;
  // The start of the line holding it.
  const nl = span.lastIndexOf(NL, at - 1);
  return from + (at === 0 ? 0 : nl + 1);
}
