/**
 * Port Reporter 1.01 logs of a Windows workstation, written in the genuine format (see
 * src/import/legacy.ts and test/fixtures/legacy): per day one PR-PORTS log (CSV rows with PID, image
 * name and user context) naming its PR-PIDS log (process blocks with services and modules).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seeded } from './random.js';

/** userInPids false: the PR-PIDS block has no User context line (only the PR-PORTS rows name the user). */
export interface LegacyProc { pid: number; name: string; path: string; user: string; services?: string[]; userInPids?: false }
export interface LegacyUse { sec: number; proto: 'TCP' | 'UDP'; lport: number; laddr: string; rport: string; raddr: string; p: LegacyProc }

export const WS = 'WS01';
const SYSTEM = 'NT AUTHORITY\\SYSTEM';
export const RDP: LegacyProc = { pid: 1096, name: 'svchost.exe', path: 'C:\\WINDOWS\\System32\\svchost.exe', user: 'NT AUTHORITY\\NETWORK SERVICE', services: ['TermService'] };
export const LSASS: LegacyProc = { pid: 484, name: 'lsass.exe', path: 'C:\\WINDOWS\\system32\\lsass.exe', user: SYSTEM, services: ['PolicyAgent', 'ProtectedStorage'] };
export const IE: LegacyProc = { pid: 3120, name: 'iexplore.exe', path: 'C:\\Program Files\\Internet Explorer\\iexplore.exe', user: 'CORP\\alice' };
export const OUTLOOK: LegacyProc = { pid: 2540, name: 'OUTLOOK.EXE', path: 'C:\\Program Files\\Microsoft Office\\OFFICE11\\OUTLOOK.EXE', user: 'CORP\\alice' };
export const VNC: LegacyProc = { pid: 6600, name: 'winvnc.exe', path: 'C:\\Program Files\\UltraVNC\\winvnc.exe', user: SYSTEM };
export const UPDATE: LegacyProc = { pid: 6666, name: 'update.exe', path: 'C:\\Users\\Public\\update.exe', user: 'CORP\\alice', userInPids: false };

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Day d (1-based) of November 2026, at `sec` seconds after local midnight. */
const when = (day: number, sec: number) => new Date(Date.UTC(2026, 10, day, 0, 0, sec));
/** PR-PORTS date and time: two-digit year, unpadded fields ("26/11/3", "9:5:7"). */
const portsTime = (d: Date) => `${d.getUTCFullYear() % 100}/${d.getUTCMonth() + 1}/${d.getUTCDate()},${d.getUTCHours()}:${d.getUTCMinutes()}:${d.getUTCSeconds()}`;
const systemDate = (d: Date) => `${WDAY[d.getUTCDay()]} ${MON[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;

/** The port uses of one routine day: RDP from the admin desk, browsing (some sites a few times a day), mail, IPsec. */
export function routineDay(day: number): LegacyUse[] {
  const r = seeded(1000 + day);
  const u: LegacyUse[] = [
    { sec: 5, proto: 'TCP', lport: 3389, laddr: '0.0.0.0', rport: '', raddr: '0.0.0.0', p: RDP },
    { sec: 5, proto: 'UDP', lport: 500, laddr: '0.0.0.0', rport: '*', raddr: '*', p: LSASS },
  ];
  let eph = 1100;
  // The admin connects twice a day: few connections, but every day.
  for (const h of [9, 15]) u.push({ sec: h * 3600 + Math.floor(r.next() * 600), proto: 'TCP', lport: 3389, laddr: '10.0.0.15', rport: String(eph++), raddr: '10.0.0.20', p: RDP });
  // Working hours: busy sites often, two sites twice a day, mail at irregular moments.
  for (let s = 8 * 3600; s < 17 * 3600; s += 120 + Math.floor(r.next() * 480)) {
    const site = ['93.184.216.34', '93.184.216.34', '198.51.100.10', '198.51.100.11', '192.0.2.30'][Math.floor(r.next() * 5)];
    u.push({ sec: s, proto: 'TCP', lport: eph++, laddr: '10.0.0.15', rport: r.next() < 0.5 ? '80' : '443', raddr: site, p: IE });
    u.push({ sec: s + 30 + Math.floor(r.next() * 60), proto: 'TCP', lport: eph++, laddr: '10.0.0.15', rport: '443', raddr: '10.0.0.5', p: OUTLOOK });
  }
  for (const s of [10 * 3600 + 77, 14 * 3600 + 911]) {
    u.push({ sec: s, proto: 'TCP', lport: eph++, laddr: '10.0.0.15', rport: '443', raddr: '203.0.113.200', p: IE });
    u.push({ sec: s + 400, proto: 'TCP', lport: eph++, laddr: '10.0.0.15', rport: '80', raddr: '203.0.113.201', p: IE });
  }
  return u;
}

/** Day 8's planted behaviours: a VNC listener, and update.exe from C:\Users\Public beaconing every five minutes. */
export function plantedUses(): LegacyUse[] {
  const u: LegacyUse[] = [{ sec: 11 * 3600, proto: 'TCP', lport: 5900, laddr: '0.0.0.0', rport: '', raddr: '0.0.0.0', p: VNC }];
  for (let i = 0; i < 40; i++) u.push({ sec: 12 * 3600 + i * 300 + (i % 3), proto: 'TCP', lport: 4000 + i, laddr: '10.0.0.15', rport: '443', raddr: '203.0.113.80', p: UPDATE });
  return u;
}

const MODULES: Record<string, string[]> = { 'lsass.exe': ['C:\\WINDOWS\\system32\\ntdll.dll'], 'svchost.exe': ['C:\\WINDOWS\\system32\\termsrv.dll'] };

function pidsBlock(p: LegacyProc): string {
  const lines = [`Process ID: ${p.pid} (${p.name})`, ''];
  for (const s of p.services ?? []) lines.push(`Service Name: ${s}`, `Display Name: ${s}`, 'Service Type: shares a process with other services', '');
  if (!p.services && p.userInPids !== false) lines.push(`User context: <${p.user}>`, '');
  lines.push('Loaded modules:', `    ${p.path} (0x00400000)`, ...(MODULES[p.name] ?? []).map((m) => `    ${m} (0x7C900000)`), '');
  return lines.join('\r\n');
}

/** Write day `day`'s PR-PORTS and PR-PIDS logs into dir; returns the PR-PORTS path. */
export function writeLegacyDay(dir: string, day: number, uses: LegacyUse[]): string {
  const stamp = `${p2(11)}${p2(day)}-2611-000005`;
  const pidsName = `PR-PIDS-${WS}-${stamp}.log`;
  const procs = [...new Map(uses.map((x) => [x.p.pid, x.p])).values()];
  const start = when(day, 5);
  writeFileSync(join(dir, pidsName), ['Port Reporter Version 1.01 Log File - Process ID log', `System Date: ${systemDate(start)}`, `Local computer name: ${WS}`,
    'Operating System: Windows XP Service Pack 2', '', ...procs.map(pidsBlock)].join('\r\n'));
  const rows = [...uses].sort((a, b) => a.sec - b.sec)
    .map((x) => `${portsTime(when(day, x.sec))},${x.proto},${x.lport},${x.laddr},${x.rport},${x.raddr},${x.p.pid},${x.p.name},<${x.p.user}>`);
  const ports = join(dir, `PR-PORTS-${WS}-${stamp}.log`);
  writeFileSync(ports, ['Port Reporter Version 1.01 Log File - Port usage log', `Check ${pidsName} for corresponding process data`, 'Log format:',
    'date,time,protocol,local port,local IP address,remote port,remote IP address,PID,module,user context', ...rows, ''].join('\r\n'));
  return ports;
}
