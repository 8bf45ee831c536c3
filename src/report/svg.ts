/**
 * The report's charts (docs/report.md), drawn as inline SVG when the file is made: horizontal bars
 * and a heat map, nothing else. Written here rather than taken from a charting library: every
 * label is attacker-controlled text, and here each one passes through the one escape (esc()) the
 * tests hold to; the marks are counted (data-mark on each bar or cell, data-marks on the chart)
 * so the page itself says how much it drew; and the file stays small (no library, no fonts).
 */
import { terminalSafe } from '../util/display.js';

/** Text for HTML and SVG text and attribute values: controls, raw bytes and format characters made visible, then & < > " ' escaped. */
export function esc(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.map(String).join(', ') : String(v);
  return terminalSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A label cut to n characters: a path keeps its end (the file's name), anything else its start. */
const clip = (s: string, n: number) => (s.length <= n ? s : /[\\/]/.test(s) ? `…${s.slice(s.length - n + 1)}` : `${s.slice(0, n - 1)}…`);

export interface Bar { label: string; value: number; note?: string; warn?: boolean }

/** Horizontal bars, one a row, the value at the end; width fixed, height by rows. */
export function barChart(title: string, bars: Bar[], unit = ''): string {
  const row = 18;
  const left = 260;
  const width = 760;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = 28 + bars.length * row;
  const marks = bars.map((b, i) => {
    const y = 22 + i * row;
    const w = Math.max(1, Math.round(((width - left - 90) * b.value) / max));
    const label = esc(clip(b.label, 40));
    return `<g data-mark="1"><title>${esc(b.label)}: ${esc(b.value)}${esc(unit)}${b.note ? ` (${esc(b.note)})` : ''}</title>`
      + `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${label}</text>`
      + `<rect x="${left}" y="${y + 2}" width="${w}" height="${row - 5}" class="${b.warn ? 'warn' : 'bar'}"/>`
      + `<text x="${left + w + 4}" y="${y + 12}">${esc(Number.isInteger(b.value) ? b.value : b.value.toFixed(3))}${esc(unit)}</text></g>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${esc(title)}" data-marks="${bars.length}">`
    + `<text x="0" y="14" class="t">${esc(title)}</text>${marks}</svg>`;
}

export interface HeatRow { label: string; cells: number[] }

/** A heat map: one row a label, one column an hour of the day (0-23); a cell's shade by its count. */
export function heatMap(title: string, rows: HeatRow[]): string {
  const cw = 24;
  const ch = 16;
  const left = 150;
  const width = left + 24 * cw + 10;
  const h = 40 + rows.length * ch;
  const max = Math.max(1, ...rows.flatMap((r) => r.cells));
  const head = Array.from({ length: 24 }, (_, hr) => `<text x="${left + hr * cw + cw / 2}" y="32" text-anchor="middle" class="s">${hr}</text>`).join('');
  let marks = 0;
  const body = rows.map((r, i) => {
    const y = 38 + i * ch;
    const cells = r.cells.map((n, hr) => {
      if (n === 0) return '';
      marks++;
      const o = (0.15 + 0.85 * (n / max)).toFixed(2);
      return `<rect data-mark="1" x="${left + hr * cw}" y="${y}" width="${cw - 1}" height="${ch - 1}" class="heat" fill-opacity="${o}"><title>${esc(r.label)}, hour ${hr}: ${n}</title></rect>`;
    }).join('');
    return `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${esc(clip(r.label, 24))}</text>${cells}`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${esc(title)}" data-marks="${marks}">`
    + `<text x="0" y="14" class="t">${esc(title)}</text>${head}${body}</svg>`;
}

/** A timeline: one dot per connection time (ms) along a line from first to last. */
export function timeline(title: string, times: number[]): string {
  const width = 760;
  const h = 50;
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => (t1 === t0 ? width / 2 : 20 + ((width - 40) * (t - t0)) / (t1 - t0));
  const marks = times.map((t) => `<circle data-mark="1" cx="${x(t).toFixed(1)}" cy="30" r="3" class="dot"><title>${esc(new Date(t).toISOString())}</title></circle>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="${esc(title)}" data-marks="${times.length}">`
    + `<text x="0" y="12" class="t">${esc(title)}</text><line x1="20" y1="30" x2="${width - 20}" y2="30" class="axis"/>${marks}</svg>`;
}
