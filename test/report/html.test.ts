/**
 * The HTML report (issue 16): made from logs with hostile names (<script>, "><img onerror=...>,
 * ANSI escapes, bytes that are not UTF-8), a beacon and a baseline. Every hostile value appears
 * escaped; every element and attribute of the file is one the report writes (none came from the
 * data); each chart's marks match the rows of the table behind it; no script, no remote load.
 * Then the same file in Debian's chromium, headless, network off: the rendered DOM has the same
 * counts, and a screenshot is kept under .deps/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { at, listen, outbound, routine, seen, writeConnections, writeProcesses, type Who } from '../helpers/logs.js';
import { ROOT, runSidecar } from '../helpers/procs.js';
import { esc } from '../../src/report/svg.js';

const EVIL: Who[] = [
  { pid: 6001, name: '<script>alert(1)</script>', path: '/tmp/"><img src=x onerror=alert(1)>', user: "o'hara" },
  { pid: 6002, name: '\u001b[31mred\u001b[0m\u202eexe', path: '/opt/bad\udcff\udcfe/bin', user: '<b>root</b>' },
];
const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'section', 'figure', 'table', 'tr', 'th', 'td', 'p', 'svg', 'g', 'text', 'rect', 'circle', 'line']);
const ATTRS = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'id', 'class', 'data-rows', 'data-marks', 'data-mark', 'data-row', 'xmlns', 'width', 'height',
  'viewbox', 'role', 'aria-label', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'text-anchor', 'fill-opacity']);

let dir: string;
let html: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'portreport-report-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const r = routine(6);
  const beacon = Array.from({ length: 12 }, (_, i) => outbound(3000 + i * 60, EVIL[0], '203.0.113.99', 8443, 45000 + i));
  writeConnections(logs, '1', [...r.conns, listen(5, EVIL[1], 4444), ...beacon, ...EVIL.map((w, i) => outbound(100 + i, w, '192.0.2.66', 443, 46000 + i))]);
  writeProcesses(logs, '1', [...r.procs, ...EVIL.map((w) => seen(0, w, [`${w.path}/lib"x<y>.so`]))]);
  const base = join(dir, 'base.json');
  expect(runSidecar(['baseline', join(ROOT, 'test/fixtures/legacy'), '--out', base]).status).toBe(0);
  const out = join(dir, 'report.html');
  const res = runSidecar(['report', logs, '--html', out, '--baseline', base, '--diagnostics', 'json']);
  expect(res.status, res.stderr).toBe(0);
  expect(statSync(out).mode & 0o777).toBe(0o600);
  html = readFileSync(out, 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every tag of the document, with its attribute names (a strict scan: the report writes no comments and no raw < in text). */
function tags(doc: string): { tag: string; attrs: string[] }[] {
  const out: { tag: string; attrs: string[] }[] = [];
  for (const m of doc.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>/g)) {
    if (m[1]) continue;
    out.push({ tag: m[2].toLowerCase(), attrs: [...m[3].matchAll(/([^\s=]+)(?:="[^"]*")?/g)].map((a) => a[1].toLowerCase()).filter((a) => a !== '/') });
  }
  return out;
}

/** Per figure: its data-rows, its chart's data-marks, and the tagged rows and marks inside it. */
function figures(doc: string): { rows: number; marks: number; rowTags: number; markTags: number }[] {
  return [...doc.matchAll(/<figure data-rows="(\d+)">([\s\S]*?)<\/figure>/g)].map((m) => ({
    rows: Number(m[1]), marks: Number(/data-marks="(\d+)"/.exec(m[2])![1]),
    rowTags: (m[2].match(/data-row="1"/g) ?? []).length, markTags: (m[2].match(/data-mark="1"/g) ?? []).length,
  }));
}

describe('portreport report --html', () => {
  it('escapes every hostile value; no element or attribute comes from the data; no script, no remote load', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const found = tags(html);
    expect(found.filter((t) => !TAGS.has(t.tag)).map((t) => t.tag)).toEqual([]);
    expect([...new Set(found.flatMap((t) => t.attrs))].filter((a) => !ATTRS.has(a))).toEqual([]);
    // Markup never appears unescaped (onerror= may, as text inside an escaped value: it is no attribute, see above).
    expect(html).not.toMatch(/<script|<img|<iframe|<link|<object|<embed|@import|url\(/i);
    for (const w of EVIL) for (const v of [w.name, w.path, w.user]) expect(html).toContain(esc(v));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('\\x1b[31mred\\x1b[0m\\u{202e}exe');
    expect(html).toContain('/opt/bad\\xff\\xfe/bin');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e\udc80-\udcff]/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1].replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
  });

  it('has every section, and each chart draws exactly the rows of the table behind it', () => {
    for (const id of ['findings', 'hours', 'processes', 'remotes', 'users', 'services', 'modules', 'departures', 'beacons']) expect(html).toContain(`<section id="${id}">`);
    const figs = figures(html);
    expect(figs.length).toBeGreaterThanOrEqual(9);
    for (const f of figs) {
      expect(f.rowTags).toBe(f.rows);
      expect(f.markTags).toBe(f.marks);
      expect(f.marks).toBe(f.rows);
      expect(f.rows).toBeGreaterThan(0);
    }
    // The beacon's timeline: its 12 connections.
    const beacons = html.slice(html.indexOf('<section id="beacons">'));
    expect(figures(beacons)[0].marks).toBe(12);
    expect(html).toContain(at(3000).slice(0, 19));
  });
});

const CHROMIUM = '/usr/bin/chromium';
const chromiumReady = existsSync(CHROMIUM);
if (!chromiumReady && process.env.CI) throw new Error('chromium is missing: run bash scripts/setup-chromium.sh');

describe.runIf(chromiumReady)('the report in a real headless browser', () => {
  it('renders offline with the counts the page states, and leaves a screenshot', () => {
    const file = join(dir, 'report.html');
    const profile = join(dir, 'profile');
    // No network: every name resolves nowhere, no proxy is reachable, and the page's CSP allows no load anyway.
    const base = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profile}`, '--host-resolver-rules=MAP * ~NOTFOUND',
      '--proxy-server=127.0.0.1:9', '--disable-background-networking', '--no-first-run'];
    const dom = spawnSync(base[0], [...base.slice(1), '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
    expect(dom.status, dom.stderr).toBe(0);
    const rendered = dom.stdout;
    expect(rendered).toContain('<section id="findings">');
    expect(rendered.match(/<script/g)).toBeNull();
    expect(rendered.match(/<img/g)).toBeNull();
    const figs = figures(rendered);
    expect(figs.length).toBe(figures(html).length);
    for (const f of figs) { expect(f.markTags).toBe(f.marks); expect(f.rowTags).toBe(f.rows); }
    const shot = join(dir, 'shot.png');
    const s = spawnSync(base[0], [...base.slice(1), '--window-size=1200,4000', `--screenshot=${shot}`, `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
    expect(s.status, s.stderr).toBe(0);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    mkdirSync(join(ROOT, '.deps', 'artifacts'), { recursive: true });
    copyFileSync(shot, join(ROOT, '.deps', 'artifacts', 'report.png'));
    copyFileSync(file, join(ROOT, '.deps', 'artifacts', 'report.html'));
  }, 120_000);
});
