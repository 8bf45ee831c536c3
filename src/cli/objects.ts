/** Output of analysis records (summaries, findings): NDJSON for the module, or tables for people. */
import { exactLine, lineWriter } from '../output/ndjson.js';
import type { Sink } from '../output/sink.js';
import { terminalSafe } from '../util/display.js';
import { textTable } from '../output/table.js';

type Obj = { RecordType: string };

/** Text properties that can carry attacker-controlled bytes (sent exactly, as in docs/record.md). */
const EXACT = ['ProcessName', 'ExecutablePath', 'UserName', 'Evidence', 'Module', 'Processes', 'Services', 'HostName', 'Source', 'Parquet', 'Path'];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(cell).join(', ');
  return terminalSafe(String(v));
}

export function writeObjects(objs: Obj[], format: 'ndjson' | 'table', out: Sink): void {
  if (format === 'ndjson') {
    const w = lineWriter(out);
    for (const o of objs) w.add(exactLine(o, EXACT));
    w.end();
    return;
  }
  const groups = new Map<string, Obj[]>();
  for (const o of objs) groups.set(o.RecordType, [...(groups.get(o.RecordType) ?? []), o]);
  let text = objs.length ? '' : '(nothing found)\n';
  for (const [type, rows] of groups) {
    const cols = Object.keys(rows[0]).filter((k) => k !== 'RecordType');
    text += `${type}\n${textTable(cols, rows.map((r) => cols.map((c) => cell((r as Record<string, unknown>)[c]))), 48)}\n`;
  }
  out(text);
}
