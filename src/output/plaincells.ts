/**
 * What the direct writers of plain rows share (packedplain.ts, ndjsonplain.ts): which lines they
 * may take, and a row's cells as JSON values. A line is taken only when its every byte is
 * printable ASCII other than " ' and \ (its cells are its text: no raw bytes to decode, no
 * formula guard to remove, nothing to escape in JSON), it is a row of a connections log holding
 * none of the columns those writers leave out, and its time is one the importer takes. Numbers go
 * out as the record path writes them (String(+cell)), and only when finite; any other row takes
 * the record path, which reports it.
 */
import type { RowConverter } from '../import/ourlogs.js';
import { isValidIsoTime } from '../util/time.js';

/** Printable ASCII but " ' \. */
const BORING = /^[ !#-&(-[\]-~]*$/;
/** Columns no direct writer writes: a log holding one goes the record way. */
const NOT_WRITTEN = ['CommandLine', 'IsService', 'Modules'];

/** Cells of one log's rows as JSON values: each column's index (-1: not in this log), whether a number, what goes before it. */
export class PlainCells {
  private ix: number[];
  private num: boolean[];
  /** Event: empty is "" in a record (the record path's default), never null. */
  private event: boolean[];
  private usable: boolean;
  private time: number;

  /** columns: names, a number's with ':N'; before: the text before each value (a comma, or a JSON key). */
  constructor(readonly conv: RowConverter, columns: string[], private before: string[]) {
    const at = (name: string) => conv.header.indexOf(name);
    this.ix = columns.map((c) => at(c.split(':')[0]));
    this.num = columns.map((c) => c.endsWith(':N'));
    this.event = columns.map((c) => c === 'Event');
    this.usable = conv.kind === 'connections' && NOT_WRITTEN.every((c) => at(c) < 0);
    this.time = at('Time');
  }

  /** Whether the row of this plain line may be written directly. */
  takes(cells: string[], raw: string): boolean {
    if (!this.usable || cells.length !== this.conv.header.length || !BORING.test(raw)) return false;
    const t = this.time < 0 ? '' : cells[this.time];
    return t === '' || isValidIsoTime(t);
  }

  /** The columns' values, each after its text; null when a number is not finite. */
  values(cells: string[]): string | null {
    let out = '';
    for (let k = 0; k < this.ix.length; k++) {
      const i = this.ix[k];
      const c = i < 0 ? '' : cells[i];
      out += this.before[k];
      if (this.num[k]) {
        if (c === '') { out += 'null'; continue; }
        const v = +c;
        if (!Number.isFinite(v)) return null;
        out += v;
      } else out += c !== '' ? `"${c}"` : this.event[k] ? '""' : 'null';
    }
    return out;
  }
}
