/**
 * A streaming RFC 4180 reader for the logs we write: bytes in, records of latin1 cells out (one
 * char a byte, so raw bytes survive; callers decode text cells). Lines without a quote take a
 * split(',') fast path; quoted cells may hold commas, quotes ("") and newlines.
 *
 * Bounded whatever the input: a line or a record longer than MAX_RECORD_BYTES is reported (its
 * first line) and skipped. A quote that does not close within that bound (an unterminated quote)
 * is reported for the line it opened on, and reading goes on with the next line: the lines it had
 * swallowed are read again, each on its own, so one stray quote costs one record, not the rest of
 * the file, and no line is read more than twice (linear time). Whether a record is still open is
 * kept as a running quote count, so a long record is parsed once, not once per line.
 */
/** `plain`: the record came from a line without a quote, given here as read (cells are its comma-separated parts). */
export type RecordSink = (cells: string[], line: number, plain?: string) => void;
/** A line without a quote, as read, and its number of fields (the shipper sends such lines on as they are, unsplit). */
export type PlainSink = (raw: string, line: number, fields: number) => void;
export type CsvErrorSink = (line: number, reason: string) => void;

/** No row of ours comes near this (the initial log's module lists are the longest, tens of KB). */
export const MAX_RECORD_BYTES = 1 << 20;

interface Open { parts: string[]; bytes: number; line: number; quotes: number }

export class FastCsvReader {
  private rest: string[] = [];
  private restBytes = 0;
  /** Dropping the rest of an overlong line, up to its newline. */
  private skipping = false;
  private line = 0;
  /** A quoted record still open across lines. */
  private open: Open | null = null;

  constructor(private onRecord: RecordSink, private onError: CsvErrorSink, private maxRecord = MAX_RECORD_BYTES, private onPlain?: PlainSink) {}

  push(chunk: Buffer): void {
    const text = chunk.toString('latin1');
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (this.skipping) { this.skipping = false; this.rest = []; this.restBytes = 0; continue; }
      const whole = this.rest.length ? this.rest.join('') + piece : piece;
      this.rest = [];
      this.restBytes = 0;
      this.take(whole);
    }
    if (start < text.length && !this.skipping) {
      this.rest.push(text.slice(start));
      this.restBytes += text.length - start;
      if (this.restBytes > this.maxRecord) {
        // One line longer than any row: report it once, drop it up to its newline.
        if (this.open) this.giveUp(`a quoted field runs past ${this.maxRecord} bytes (an unterminated quote?)`);
        this.line++;
        this.onError(this.line, `a line is longer than ${this.maxRecord} bytes; skipped`);
        this.skipping = true;
        this.rest = [];
        this.restBytes = 0;
      }
    }
  }

  end(): void {
    if (this.skipping) { this.skipping = false; return; }
    if (this.rest.length) { const r = this.rest.join(''); this.rest = []; this.restBytes = 0; this.take(r); }
    if (this.open) this.giveUp('a quoted field is not closed before the end of the file');
  }

  private take(raw: string, alone = false): void {
    this.line++;
    const o = this.open;
    if (o) {
      o.parts.push(raw);
      o.bytes += raw.length + 1;
      o.quotes += countQuotes(raw);
      if (o.quotes % 2 === 1) {
        if (o.bytes > this.maxRecord) this.giveUp(`a quoted field runs past ${this.maxRecord} bytes (an unterminated quote?)`);
        return;
      }
      this.open = null;
      this.emit(o.parts.join('\n'), o.line);
      return;
    }
    if (raw.indexOf('"') < 0) {
      const l = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
      if (l === '') return;
      if (this.onPlain) {
        let n = 1;
        for (let i = l.indexOf(','); i >= 0; i = l.indexOf(',', i + 1)) n++;
        this.onPlain(l, this.line, n);
      } else this.onRecord(l.split(','), this.line, l);
      return;
    }
    const quotes = countQuotes(raw);
    if (quotes % 2 === 1) {
      if (alone) { this.onError(this.line, 'a quoted field is not closed on its line'); return; }
      this.open = { parts: [raw], bytes: raw.length, line: this.line, quotes };
      return;
    }
    this.emit(raw, this.line);
  }

  private emit(text: string, line: number): void {
    const cells = parseQuoted(text);
    if (typeof cells === 'string') this.onError(line, cells);
    else if (cells === null) this.onError(line, 'a quoted field is not closed');
    else this.onRecord(cells, line);
  }

  /** Report the open record at its first line and read the lines it had swallowed again, each alone. */
  private giveUp(reason: string): void {
    const o = this.open!;
    this.open = null;
    this.onError(o.line, reason);
    this.line = o.line;
    for (const l of o.parts.slice(1)) this.take(l, true);
  }
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/** Cells of a record with quotes; null when a quote is still open, a string on error. */
function parseQuoted(s: string): string[] | string | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (s.charCodeAt(i) === 34) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) return null;
        v += s.slice(j, q);
        if (s.charCodeAt(q + 1) === 34) { v += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      cells.push(v);
      if (i === s.length || (i === s.length - 1 && s.charCodeAt(i) === 13)) return cells;
      if (s.charCodeAt(i) !== 44) return `a character after a closing quote (column ${cells.length})`;
      i++;
    } else {
      const c = s.indexOf(',', i);
      let cell = c < 0 ? s.slice(i) : s.slice(i, c);
      if (c < 0 && cell.charCodeAt(cell.length - 1) === 13) cell = cell.slice(0, -1);
      if (cell.indexOf('"') >= 0) return `a quote inside an unquoted field (column ${cells.length + 1})`;
      cells.push(cell);
      if (c < 0) return cells;
      i = c + 1;
    }
  }
}
