import { describe, expect, it } from 'vitest';
import { parseBootTime, parseCgroup, parseCmdline, parseMaps, parsePasswd, parseStat, parseStatus, processName, unitFromCgroup } from '../../../src/collect/linux/procparse.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('/proc/<pid> parsers', () => {
  it('stat: comm may hold spaces and parentheses; ppid and start time follow the last ")"', () => {
    const st = parseStat(b('4242 (evil) (x) 1) S 1 4242 4242 0 -1 4194560 1000 0 0 0 5 3 0 0 20 0 1 0 123456 1000000 200 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n'));
    expect(st).toEqual({ comm: 'evil) (x) 1', ppid: 1, startTicks: 123456 });
    expect(parseStat(b('garbage'))).toBeNull();
  });

  it('status: effective uid is the second Uid column', () => {
    expect(parseStatus('Name:\tsudo\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n')).toEqual({ realUid: 1000, effectiveUid: 0 });
    expect(parseStatus('Name:\tx\n')).toBeNull();
  });

  it('cgroup: v2 path, v1 systemd hierarchy, and the unit it belongs to', () => {
    expect(parseCgroup('0::/system.slice/ssh.service\n')).toBe('/system.slice/ssh.service');
    expect(parseCgroup('12:pids:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n0::/\n')).toBe('/');
    expect(parseCgroup('12:pids:/a\n1:name=systemd:/system.slice/cron.service\n')).toBe('/system.slice/cron.service');
    expect(unitFromCgroup('/system.slice/ssh.service')).toEqual({ unit: 'ssh.service', isService: true });
    expect(unitFromCgroup('/system.slice/docker-0123abcd.scope')).toEqual({ unit: 'docker-0123abcd.scope', isService: false });
    expect(unitFromCgroup('/user.slice/user-1000.slice/session-4.scope')).toEqual({ unit: 'session-4.scope', isService: false });
    expect(unitFromCgroup('/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.service')).toEqual({ unit: 'pipewire.service', isService: false });
    expect(unitFromCgroup('/')).toEqual({ unit: null, isService: false });
    expect(unitFromCgroup(null)).toEqual({ unit: null, isService: false });
  });

  it('cmdline: NUL-separated argv joined with spaces, raw bytes kept as escapes', () => {
    expect(parseCmdline(b('/usr/sbin/sshd\0-D\0-o\0a b\0'))).toBe('/usr/sbin/sshd -D -o a b');
    expect(parseCmdline(b('sshd: root@pts/0'))).toBe('sshd: root@pts/0');
    expect(parseCmdline(b(''))).toBeNull();
    expect(parseCmdline(Buffer.from([0x61, 0xff, 0]))).toBe('a\udcff');
  });

  it('maps: executable file mappings, unique, in order, deleted files kept', () => {
    const maps = `55d5c0a00000-55d5c0a2c000 r--p 00000000 fd:01 1311 /usr/sbin/sshd
55d5c0a2c000-55d5c0ab2000 r-xp 0002c000 fd:01 1311 /usr/sbin/sshd
7f1e4c000000-7f1e4c022000 r--p 00000000 fd:01 2201 /usr/lib/x86_64-linux-gnu/libc.so.6
7f1e4c022000-7f1e4c19a000 r-xp 00022000 fd:01 2201 /usr/lib/x86_64-linux-gnu/libc.so.6
7f1e4c400000-7f1e4c401000 r-xp 00000000 00:19 77 /dev/shm/x (deleted)
7ffc1c5d0000-7ffc1c5f1000 rw-p 00000000 00:00 0 [stack]
7ffc1c5f9000-7ffc1c5fb000 r-xp 00000000 00:00 0 [vdso]
`;
    expect(parseMaps(b(maps))).toEqual(['/usr/sbin/sshd', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/dev/shm/x (deleted)'].map((path) => ({ path, range: null })));
  });

  it('maps: a path holding \\012 (a newline, or those characters) comes with its map_files range', () => {
    const maps = `7f1e4c022000-7f1e4c19a000 r-xp 00022000 fd:01 2201 /tmp/a\\012b.so
00400000-00401000 r-xp 00000000 fd:01 2202 /tmp/plain.so
`;
    expect(parseMaps(b(maps))).toEqual([{ path: '/tmp/a\\012b.so', range: '7f1e4c022000-7f1e4c19a000' }, { path: '/tmp/plain.so', range: null }]);
  });

  it('passwd and boot time', () => {
    const m = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\nsshd:x:101:65534::/run/sshd:/usr/sbin/nologin\nbroken\n');
    expect([...m]).toEqual([[0, 'root'], [101, 'sshd']]);
    expect(parseBootTime('cpu  1 2 3\nbtime 1764450000\nprocesses 9\n')).toBe(1764450000);
    expect(parseBootTime('cpu 1\n')).toBeNull();
  });
});

describe('processName (the name Get-Process shows)', () => {
  const argv = (...a: string[]) => Buffer.from(a.join('\0') + '\0');
  it('is comm, whatever the executable the link led to', () => {
    expect(processName('python3', argv('/usr/bin/python3', '-c', 'x'))).toBe('python3');
  });
  it('is the file name of argv[0] when comm was cut at 15 bytes and argv[0] starts with it', () => {
    expect(processName('averyveryverylo', argv('/tmp/averyveryverylongname_sleep', '30'))).toBe('averyveryverylongname_sleep');
  });
  it('stays comm when argv[0] is something else (exec -a), or absent (a kernel thread)', () => {
    expect(processName('averyveryverylo', argv('fakeargv0', '30'))).toBe('averyveryverylo');
    expect(processName('kworker/0:1-eve', null)).toBe('kworker/0:1-eve');
  });
});
