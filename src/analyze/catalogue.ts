/**
 * The shipped catalogues behind the masquerade and suspicious-path rules (docs/analyze.md lists
 * them). A system binary's name is expected only in its own directories; Windows names and paths
 * compare case-insensitively.
 */
export type Os = 'Windows' | 'Linux';

/** Windows: image name → directories it ships in. */
const WIN32 = ['C:\\Windows\\System32', 'C:\\Windows\\SysWOW64'];
export const WINDOWS_SYSTEM_BINARIES: Record<string, string[]> = {
  'svchost.exe': WIN32, 'lsass.exe': WIN32, 'services.exe': WIN32, 'csrss.exe': WIN32, 'smss.exe': WIN32,
  'wininit.exe': WIN32, 'winlogon.exe': WIN32, 'spoolsv.exe': WIN32, 'lsm.exe': WIN32, 'taskhostw.exe': WIN32,
  'taskhost.exe': WIN32, 'dllhost.exe': WIN32, 'conhost.exe': WIN32, 'rundll32.exe': WIN32, 'dwm.exe': WIN32,
  'wmiprvse.exe': ['C:\\Windows\\System32\\wbem', 'C:\\Windows\\SysWOW64\\wbem'], 'searchindexer.exe': WIN32,
  'explorer.exe': ['C:\\Windows'], 'system': [], 'mstsc.exe': WIN32, 'cmd.exe': WIN32, 'powershell.exe': ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0', 'C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0'],
};

/** Linux: executable name → directories it ships in (Debian, RHEL, merged and split /usr). */
const SBIN = ['/usr/sbin', '/sbin'];
const BIN = ['/usr/bin', '/bin'];
export const LINUX_SYSTEM_BINARIES: Record<string, string[]> = {
  sshd: SBIN, cron: SBIN, crond: SBIN, nginx: SBIN, apache2: SBIN, httpd: SBIN, rsyslogd: SBIN, chronyd: SBIN, ntpd: SBIN,
  named: SBIN, dnsmasq: SBIN, 'avahi-daemon': SBIN, cupsd: SBIN, postfix: ['/usr/sbin', '/usr/libexec/postfix'], master: ['/usr/lib/postfix/sbin', '/usr/libexec/postfix'],
  'dbus-daemon': BIN, systemd: ['/usr/lib/systemd', '/lib/systemd', '/usr/bin', '/bin'], 'systemd-resolved': ['/usr/lib/systemd', '/lib/systemd'],
  'systemd-networkd': ['/usr/lib/systemd', '/lib/systemd'], 'systemd-timesyncd': ['/usr/lib/systemd', '/lib/systemd'], init: [...SBIN, '/usr/lib/systemd', '/lib/systemd'],
  sudo: BIN, su: BIN, dhclient: SBIN, 'NetworkManager': SBIN, containerd: ['/usr/bin', '/usr/local/bin'], dockerd: ['/usr/bin', '/usr/sbin'],
};

/** Directories where code should not run from: temporary, download and world-writable places. */
export const SUSPICIOUS_DIRS: Record<Os, RegExp[]> = {
  Linux: [/^\/tmp\//, /^\/var\/tmp\//, /^\/dev\/shm\//, /^\/run\/shm\//, /^\/home\/[^/]+\/Downloads\//, /^\/root\/Downloads\//, /^\/var\/www\/.*\/uploads?\//],
  Windows: [/^[a-z]:\\windows\\temp\\/i, /\\appdata\\local\\temp\\/i, /\\temp\\/i, /^[a-z]:\\users\\[^\\]+\\downloads\\/i, /^[a-z]:\\users\\public\\/i,
    /^[a-z]:\\\$recycle\.bin\\/i, /^[a-z]:\\perflogs\\/i, /\\appdata\\roaming\\[^\\]+\.(exe|dll)$/i],
};

/**
 * A Windows directory in comparable form: lower case, without the NT prefixes (\\?\, \??\) and the
 * drive letter (Windows may live on any drive), \SystemRoot\ as \windows\.
 */
function windowsDir(d: string): string {
  return d.replace(/^\\\\\?\\|^\\\?\?\\/, '').replace(/^\\systemroot\\/i, 'C:\\Windows\\').replace(/^[a-z]:/i, '').toLowerCase();
}

/** The OS a path belongs to, from its shape. */
export function osOfPath(path: string): Os | null {
  if (/^[a-z]:\\|^\\\\|^\\\?\?\\|^\\systemroot\\/i.test(path)) return 'Windows';
  if (path.startsWith('/')) return 'Linux';
  return null;
}

function dirOf(path: string, os: Os): string {
  const i = path.lastIndexOf(os === 'Windows' ? '\\' : '/');
  return i <= 0 ? (os === 'Windows' ? path : '/') : path.slice(0, i);
}

function baseOf(path: string, os: Os): string {
  return path.slice(path.lastIndexOf(os === 'Windows' ? '\\' : '/') + 1);
}

export interface Masquerade { expected: string[] }

const entryOf = (table: Record<string, string[]>, key: string | null): string[] | null =>
  key !== null && Object.hasOwn(table, key) ? table[key] : null;

/**
 * Is this a system binary's name running from outside that binary's directories? The name is the
 * process name (Linux comm is cut to 15 bytes, so the executable's own name counts too).
 */
export function masquerade(name: string | null, path: string | null): Masquerade | null {
  if (!path) return null;
  const clean = path.replace(/ \(deleted\)$/, '');
  const os = osOfPath(clean);
  if (!os) return null;
  const dir = dirOf(clean, os);
  const base = baseOf(clean, os);
  if (os === 'Windows') {
    const entry = entryOf(WINDOWS_SYSTEM_BINARIES, (name ?? base).toLowerCase()) ?? entryOf(WINDOWS_SYSTEM_BINARIES, base.toLowerCase());
    if (!entry || entry.length === 0) return null;
    return entry.some((d) => windowsDir(d) === windowsDir(dir)) ? null : { expected: entry };
  }
  const entry = entryOf(LINUX_SYSTEM_BINARIES, name) ?? entryOf(LINUX_SYSTEM_BINARIES, base);
  if (!entry) return null;
  return entry.includes(dir) ? null : { expected: entry };
}

/** Is this executable or module path in a temporary, download or world-writable directory? */
export function suspiciousPath(path: string | null): boolean {
  if (!path) return false;
  const os = osOfPath(path);
  return os !== null && SUSPICIOUS_DIRS[os].some((re) => re.test(path));
}
