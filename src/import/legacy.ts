/**
 * Genuine Port Reporter 1.x logs (Windows 2000/XP/2003):
 *  - PR-PORTS-*.log: a few header lines, then CSV rows
 *      date,time,protocol,local port,local IP address,remote port,remote IP address,PID,module,user context
 *    e.g. 05/7/6,13:52:2,TCP,3389,172.16.16.150,1486,172.16.16.100,1096,svchost.exe,<NT AUTHORITY\SYSTEM>
 *    (two-digit year, unpadded local date and time; TCP listeners have an empty remote port and remote
 *    IP 0.0.0.0; UDP has * and *; Windows 2000 rows stop after the remote IP).
 *  - PR-PIDS-*.log and PR-INITIAL-*.log: a header (System Date:, Local computer name:, Operating
 *    System:) and per-process blocks as PortQry 2 prints them (Process ID: 484 (lsass.exe),
 *    Service Name:/Display Name:/Service Type:, a port table, Loaded modules: with paths and bases).
 * Parsers take text and report each bad line (file, line, reason) while keeping the rest.
 */
import { quoted } from '../util/display.js';
import { ImportError } from './errors.js';

export interface LegacyPortRow {
  line: number;
  /** Local time of the logging machine, ISO-8601 without an offset. */
  time: string;
  protocol: 'TCP' | 'UDP';
  localPort: number;
  localAddress: string;
  remotePort: number;
  remoteAddress: string;
  state: 'Listen' | 'Established' | 'Bound';
  pid: number | null;
  module: string | null;
  user: string | null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "05/7/6" + "13:52:2" → "2005-07-06T13:52:02" (years 00-69 → 20xx, 70-99 → 19xx). */
export function legacyTime(date: string, time: string): string | null {
  const d = /^(\d{1,4})\/(\d{1,2})\/(\d{1,2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(time.trim());
  if (!d || !t) return null;
  let y = Number(d[1]);
  if (d[1].length <= 2) y += y < 70 ? 2000 : 1900;
  const [mo, da, h, mi, s] = [Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3])];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(da)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const validIp = (s: string) => { const m = IPV4.exec(s); return !!m && m.slice(1).every((x) => Number(x) <= 255); };
const port = (s: string) => (/^\d{1,5}$/.test(s) && Number(s) <= 65535 ? Number(s) : null);

export interface LegacyPortsFile {
  rows: LegacyPortRow[];
  /** The PR-PIDS file named by the "Check PR-PIDS-... for corresponding process data" line. */
  pidsFile: string | null;
}

/** The header lines a PR-PORTS log has: the version line, "Log format:" and the column list. */
const PORTS_HEADER = /^(Port Reporter Version [^\n]*Log File|Log format:\s*$|date,time,protocol,local port,)/i;

export function parsePrPorts(text: string, file: string, onError: (e: ImportError) => void): LegacyPortsFile {
  const rows: LegacyPortRow[] = [];
  let pidsFile: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const n = i + 1;
    if (line.trim() === '') continue;
    const check = /Check\s+(PR-PIDS-\S+?\.log)/i.exec(line);
    if (check) { pidsFile = check[1]; continue; }
    const bad = (field: string, why: string) => onError(new ImportError('PR_IMPORT_BAD_ROW', file, n, field, why));
    if (PORTS_HEADER.test(line)) continue;
    if (!/^\d{1,4}\/\d/.test(line)) { bad('row', 'neither a Port Reporter 1.x header line nor a row (date,time,protocol,...)'); continue; }
    const f = line.split(',');
    if (f.length !== 7 && f.length < 10) { bad('row', `expected 7 (Windows 2000) or 10 fields, found ${f.length}`); continue; }
    const time = legacyTime(f[0], f[1]);
    if (!time) { bad('date,time', `${quoted(`${f[0]},${f[1]}`)} is not a date and time`); continue; }
    const protocol = f[2].trim().toUpperCase();
    if (protocol !== 'TCP' && protocol !== 'UDP') { bad('protocol', `${quoted(f[2])} is not TCP or UDP`); continue; }
    const lp = port(f[3].trim());
    if (lp === null) { bad('local port', `${quoted(f[3])} is not a port`); continue; }
    if (!validIp(f[4].trim())) { bad('local IP address', `${quoted(f[4])} is not an IPv4 address`); continue; }
    const rpText = f[5].trim();
    const riText = f[6].trim();
    const rp = rpText === '' || rpText === '*' ? 0 : port(rpText);
    if (rp === null) { bad('remote port', `${quoted(f[5])} is not a port`); continue; }
    if (riText !== '*' && !validIp(riText)) { bad('remote IP address', `${quoted(f[6])} is not an IPv4 address`); continue; }
    let pid: number | null = null;
    let module: string | null = null;
    let user: string | null = null;
    if (f.length >= 10) {
      if (!/^\d+$/.test(f[7].trim())) { bad('PID', `${quoted(f[7])} is not a process id`); continue; }
      pid = Number(f[7]);
      // The image name may itself hold commas: it runs up to the user context, which is <...>.
      let u = f.length - 1;
      while (u > 8 && !f[u].trimStart().startsWith('<')) u--;
      const userText = f.slice(u).join(',').trim();
      if (!userText.startsWith('<') || !userText.endsWith('>')) { bad('user context', `${quoted(userText)} is not a <user context>`); continue; }
      user = userText.slice(1, -1);
      module = f.slice(8, u).join(',');
    }
    const remoteAddress = riText === '*' ? '0.0.0.0' : riText;
    const state = protocol === 'UDP' ? 'Bound' : rpText === '' && remoteAddress === '0.0.0.0' ? 'Listen' : 'Established';
    rows.push({ line: n, time, protocol, localPort: lp, localAddress: f[4].trim(), remotePort: rp, remoteAddress, state, pid, module, user });
  }
  return { rows, pidsFile };
}

export interface LegacyService { name: string; displayName: string | null; type: string | null }

export interface LegacyProcess {
  line: number;
  /** Local time of the snapshot this block belongs to (the last System Date: before it). */
  time: string | null;
  pid: number;
  name: string;
  path: string | null;
  user: string | null;
  services: LegacyService[];
  modules: string[];
}

export interface LegacyPidsFile {
  computer: string | null;
  os: string | null;
  processes: LegacyProcess[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Wed Jul 06 13:44:04 2005" → "2005-07-06T13:44:04". */
export function legacySystemDate(s: string): string | null {
  const m = /^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(s.trim());
  if (!m) return null;
  const mo = MONTHS.indexOf(m[1].toLowerCase()) + 1;
  if (mo === 0) return null;
  return `${m[6]}-${pad(mo)}-${pad(Number(m[2]))}T${pad(Number(m[3]))}:${m[4]}:${m[5]}`;
}

export function parsePrPids(text: string, file: string, onError: (e: ImportError) => void): LegacyPidsFile {
  const out: LegacyPidsFile = { computer: null, os: null, processes: [] };
  let time: string | null = null;
  let cur: LegacyProcess | null = null;
  let svc: LegacyService | null = null;
  let inModules = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    const n = i + 1;
    const kv = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line);
    if (kv && !/^[A-Za-z]:\\/.test(line)) {
      const [key, value] = [kv[1].toLowerCase(), kv[2]];
      inModules = false;
      if (key === 'system date') {
        time = legacySystemDate(value);
        if (!time) onError(new ImportError('PR_IMPORT_BAD_ROW', file, n, 'System Date', `${quoted(value)} is not a date`));
      } else if (key === 'local computer name') out.computer = value || null;
      else if (key === 'operating system') out.os = value || null;
      else if (key === 'process id') {
        const m = /^(\d+)\s*\((.*)\)\s*$/.exec(value);
        if (!m) { onError(new ImportError('PR_IMPORT_BAD_ROW', file, n, 'Process ID', `${quoted(value)} is not "<pid> (<image name>)"`)); cur = null; continue; }
        cur = { line: n, time, pid: Number(m[1]), name: m[2], path: null, user: null, services: [], modules: [] };
        out.processes.push(cur);
        svc = null;
      } else if (cur && key === 'service name') { svc = { name: value, displayName: null, type: null }; cur.services.push(svc); }
      else if (cur && svc && key === 'display name') svc.displayName = value || null;
      else if (cur && svc && key === 'service type') svc.type = value || null;
      else if (cur && (key === 'user context' || key === 'user')) cur.user = value.replace(/^<(.*)>$/, '$1') || null;
      else if (cur && key === 'loaded modules') inModules = true;
      continue;
    }
    if (cur && inModules && line !== '') {
      // "C:\WINDOWS\system32\ntdll.dll (0x7C900000)": the path, then the base address.
      const m = /^(.*?)\s*\((0x[0-9A-Fa-f]+)\)\s*$/.exec(line);
      const path = m ? m[1] : line;
      cur.modules.push(path);
      if (cur.path === null && path.toLowerCase().endsWith(`\\${cur.name.toLowerCase()}`)) cur.path = path;
    }
  }
  // A file with no process block at all is not process data: said, never silently empty.
  if (out.processes.length === 0) onError(new ImportError('PR_IMPORT_BAD_ROW', file, null, 'Process ID', 'no "Process ID:" block in the file: not Port Reporter 1.x process data'));
  return out;
}
