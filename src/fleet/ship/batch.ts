/**
 * One batch of CSV rows for an INSERT, written straight into a Buffer as they are read (raw bytes
 * as latin1 chars), with each row's line and end: no string per batch is ever built (at 100,000
 * rows, holding them as strings cost more in garbage collection than the rest of the shipper).
 */
export class Batch {
  private buf: Buffer;
  private used = 0;
  readonly lines: number[] = [];
  private ends: number[] = [];
  /** Rows before this one already landed (dropped after a partial insert). */
  private from = 0;

  /** capacity: to start with; limit: the size it grows to at most in one step (a full batch and the read that filled it). */
  constructor(capacity: number, private limit: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get rows(): number { return this.lines.length - this.from; }
  get bytes(): number { return this.used - this.start; }
  get firstLine(): number | undefined { return this.lines[this.from]; }
  private get start(): number { return this.from === 0 ? 0 : this.ends[this.from - 1]; }

  add(line: number, text: string): void {
    if (this.used + text.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(Math.min(this.buf.length * 2, this.limit), this.used + text.length));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.used += this.buf.write(text, this.used, 'latin1');
    this.lines.push(line);
    this.ends.push(this.used);
  }

  /** The rows not yet landed, as the INSERT's body. */
  body(): Buffer { return this.buf.subarray(this.start, this.used); }

  /** The cluster holds every row up to line `held`: drop those; returns how many were dropped. */
  landedThrough(held: number): number {
    let n = 0;
    while (this.from < this.lines.length && this.lines[this.from] <= held) { this.from++; n++; }
    return n;
  }
}
