/** CSV output: Excel-safe (formula-guarded text cells) with exact bytes (escaped raw bytes written back). */
import { stringify } from 'csv-stringify/sync';
import type { ConnectionRecord } from '../model/record.js';
import { encodeBytes } from '../util/bytes.js';
import { guardFormula } from '../util/display.js';
import { CONNECTION_COLUMNS } from './columns.js';
import type { Sink } from './sink.js';

/** CSV with a header. Text cells are formula-guarded; escaped raw bytes are written back as bytes. */
export function writeCsv(records: Iterable<ConnectionRecord>, out: Sink): void {
  out(stringify([CONNECTION_COLUMNS.map((c) => c.name)]));
  let rows: unknown[][] = [];
  const flush = () => { out(encodeBytes(stringify(rows, { cast: { boolean: (b) => (b ? 'True' : 'False') } }))); rows = []; };
  for (const r of records) {
    rows.push(CONNECTION_COLUMNS.map((c) => {
      const v = c.get(r);
      return c.text && typeof v === 'string' ? guardFormula(v) : v;
    }));
    if (rows.length >= 2000) flush();
  }
  if (rows.length) flush();
}
