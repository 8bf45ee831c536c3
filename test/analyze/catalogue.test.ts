/** The masquerade catalogue and suspicious directories, path by path. */
import { expect, test } from 'vitest';
import { masquerade, osOfPath, suspiciousPath } from '../../src/analyze/catalogue.js';

test('Windows: any case, any drive, NT prefixes; elsewhere is a masquerade', () => {
  const ok: [string, string][] = [
    ['svchost.exe', 'C:\\WINDOWS\\system32\\svchost.exe'], ['lsass.exe', 'D:\\Windows\\System32\\lsass.exe'],
    ['csrss.exe', '\\??\\C:\\Windows\\system32\\csrss.exe'], ['smss.exe', '\\SystemRoot\\System32\\smss.exe'],
    ['svchost.exe', '\\\\?\\C:\\Windows\\SysWOW64\\svchost.exe'], ['notepad.exe', 'C:\\Users\\bob\\notepad.exe'], ['System', 'C:\\x'],
  ];
  for (const [name, path] of ok) expect(masquerade(name, path), path).toBeNull();
  const bad: [string | null, string][] = [
    ['svchost.exe', 'C:\\Windows\\Temp\\svchost.exe'], ['SVCHOST.EXE', 'C:\\Users\\Public\\svchost.exe'],
    ['lsass.exe', 'C:\\Windows\\System32\\drivers\\lsass.exe'], [null, 'C:\\ProgramData\\services.exe'],
  ];
  for (const [name, path] of bad) expect(masquerade(name, path)?.expected, path).toContain('C:\\Windows\\System32');
});

test('Linux: the name or the executable\'s own name, exact directories; deleted executables too', () => {
  expect(masquerade('sshd', '/usr/sbin/sshd')).toBeNull();
  expect(masquerade('sshd', '/sbin/sshd')).toBeNull();
  expect(masquerade('systemd', '/usr/lib/systemd/systemd')).toBeNull();
  expect(masquerade('constructor', '/tmp/constructor')).toBeNull(); // not a prototype key
  expect(masquerade('sshd', '/tmp/.x/sshd')?.expected).toEqual(['/usr/sbin', '/sbin']);
  expect(masquerade('kworker', '/dev/shm/nginx')?.expected).toEqual(['/usr/sbin', '/sbin']);
  expect(masquerade('cron', '/usr/sbin/cron (deleted)')).toBeNull();
  expect(masquerade('cron', '/home/u/cron (deleted)')).not.toBeNull();
});

test('suspicious directories per OS; paths of unknown shape are neither', () => {
  for (const p of ['/tmp/x', '/var/tmp/a/b', '/dev/shm/k', '/home/alice/Downloads/tool', 'C:\\Windows\\Temp\\a.exe',
    'C:\\Users\\bob\\AppData\\Local\\Temp\\x.dll', 'C:\\Users\\bob\\Downloads\\setup.exe', 'c:\\users\\public\\a.exe']) expect(suspiciousPath(p), p).toBe(true);
  for (const p of ['/usr/bin/curl', '/opt/tmp-tools/x', 'C:\\Program Files\\App\\a.exe', 'relative/tmp/x', '']) expect(suspiciousPath(p), p).toBe(false);
  expect(osOfPath('\\\\server\\share\\a.exe')).toBe('Windows');
  expect(osOfPath('svchost.exe')).toBeNull();
});
