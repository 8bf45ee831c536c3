/**
 * A streaming RFC 4180 reader for the logs we write: bytes in, records of latin1 cells out (one
 * char a byte, so raw bytes survive; callers decode text cells). Lines without a quote take a
 * split(',') fast path; quoted cells may hold commas, quotes ("") and newlines. A record whose
 * quote never closes is reported at the end, naming its first line.
 */
export type RecordSink = (cells: string[], line: number) => void;
export type CsvErrorSink = (line: number, reason: string) => void;

export class FastCsvReader {
  private rest = '';
  private line = 0;
  /** A quoted record still open across lines: its text so far and first line. */
  private open: { text: string; line: number } | null = null;

  constructor(private onRecord: RecordSink, private onError: CsvErrorSink) {}

  push(chunk: Buffer): void {
    const text = this.rest + chunk.toString('latin1');
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.take(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  end(): void {
    if (this.rest !== '') { this.take(this.rest); this.rest = ''; }
    if (this.open) { this.onError(this.open.line, 'a quoted field is not closed before the end of the file'); this.open = null; }
  }

  private take(raw: string): void {
    this.line++;
    // A CR before the newline ends the line, unless it sits inside a quoted field (then it is data).
    let l = raw;
    if (this.open) {
      l = `${this.open.text}\n${raw}`;
    } else if (l.indexOf('"') < 0) {
      if (l.charCodeAt(l.length - 1) === 13) l = l.slice(0, -1);
      if (l !== '') this.onRecord(l.split(','), this.line);
      return;
    }
    const first = this.open ? this.open.line : this.line;
    const cells = parseQuoted(l);
    if (cells === null) { this.open = { text: l, line: first }; return; }
    this.open = null;
    if (typeof cells === 'string') this.onError(first, cells);
    else this.onRecord(cells, first);
  }
}

/** Cells of a record with quotes; null when a quote is still open (the record goes on), a string on error. */
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
