/**
 * Cells of a log row as ClickHouse's CSV reader takes them back exactly: text (latin1, one char a
 * byte) unquoted only when it is plainly safe, else quoted with quotes doubled. The reader runs with
 * format_csv_allow_single_quotes=0, so a formula-guarded cell ('=...) is text like any other.
 */
const PLAIN = /^[A-Za-z0-9_.:\-+/[\]@=]*$/;
/** A whole line of such cells (commas between), which ClickHouse reads back exactly as it is. */
export const PLAIN_LINE = /^[A-Za-z0-9_.:\-+/[\]@=,]*$/;

export function csvCell(v: string): string {
  return PLAIN.test(v) ? v : `"${v.replace(/"/g, '""')}"`;
}

/** One row: the shipping columns, then the log's cells, newline-terminated. */
export function csvRow(prefix: string, cells: string[]): string {
  let s = prefix;
  for (let i = 0; i < cells.length; i++) s += (i ? ',' : '') + csvCell(cells[i]);
  return s + '\n';
}
