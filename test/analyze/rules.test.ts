/**
 * One test per rule on logs built for it: the planted behaviour is found, and a clean log of the
 * same shape gives no finding. Every case runs on both engines, which must agree exactly.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { at, CURL, HOST, inbound, listen, NGINX, outbound, routine, seen, writeConnections, writeProcesses, type Who } from '../helpers/logs.js';
import { both, rulesOf, tempDir } from '../helpers/analyze.js';
import { readWatchList, watchEntry, type WatchEntry } from '../../src/analyze/watchlist.js';
import { baselineItems, BASELINE_FORMAT, type Baseline } from '../../src/analyze/baseline.js';
import { remoteHosts } from '../../src/analyze/results.js';
import { unmapIPv4 } from '../../src/util/ip.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

/** The routine day plus planted rows, as one connections log and one processes log. */
function logs(extraConns: ReturnType<typeof routine>['conns'] = [], extraProcs: ReturnType<typeof routine>['procs'] = [], name = 'a'): string {
  const r = routine();
  writeConnections(t.dir, `2026110${name}`, [...r.conns, ...extraConns]);
  writeProcesses(t.dir, `2026110${name}`, [...r.procs, ...extraProcs]);
  return t.dir;
}

const FAKE_SSHD: Who = { pid: 4242, name: 'sshd', path: '/tmp/.cache/sshd', user: 'nobody' };
const NC: Who = { pid: 5151, name: 'nc', path: '/usr/bin/nc.openbsd', user: 'mallory' };

describe('masquerade', () => {
  test('a system binary name run from elsewhere is found; the real one is not', async () => {
    const { findings } = await both([logs([outbound(5000, FAKE_SSHD, '192.0.2.99', 8443, 50000)], [seen(4990, FAKE_SSHD)])], { rules: ['masquerade'] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ Rule: 'Masquerade', Severity: 'High', HostName: HOST, ProcessName: 'sshd', ExecutablePath: '/tmp/.cache/sshd', UserName: 'nobody', Count: 1 });
    expect(findings[0].Evidence).toContain('/usr/sbin');
  });

  test('Windows names compare case-insensitively', async () => {
    const real: Who = { pid: 800, name: 'svchost.exe', path: 'c:\\windows\\system32\\SVCHOST.EXE', user: 'NT AUTHORITY\\SYSTEM' };
    const fake: Who = { pid: 801, name: 'SVCHOST.EXE', path: 'C:\\Users\\Public\\svchost.exe', user: 'CORP\\bob' };
    const { findings } = await both([logs([outbound(100, real, '192.0.2.1', 135, 50001), outbound(200, fake, '192.0.2.2', 443, 50002)])], { rules: ['masquerade'] });
    expect(findings.map((f) => f.ExecutablePath)).toEqual(['C:\\Users\\Public\\svchost.exe']);
  });

  test('clean log: nothing', async () => {
    expect((await both([logs()], { rules: ['masquerade'] })).findings).toEqual([]);
  });
});

describe('watch lists', () => {
  const list = (extra = '') => {
    const f = join(t.dir, 'watch.txt');
    writeFileSync(f, `# incident 4711\nprocess: nc\naddress: 192.0.2.64/26\nport: 4444\nuser: mallory\nhash: ${'b'.repeat(64)}\nmodule: */libevil.so\nhost: db9?\npath: /opt/evil/*\n${extra}`);
    return f;
  };
  const entries = (f: string): WatchEntry[] => { const r = readWatchList(f); expect(r.errors).toEqual([]); return r.entries; };

  test('each kind of entry finds its planted item', async () => {
    const f = list();
    const evil: Who = { pid: 6000, name: 'helper', path: '/opt/evil/helper', user: 'daemon' };
    const dir = logs(
      [outbound(3000, NC, '192.0.2.70', 4444, 51000), outbound(3100, evil, '198.51.100.200', 80, 51001)],
      [seen(2990, NC, ['/usr/lib/libevil.so']), seen(3090, evil, [], 'B'.repeat(64))],
    );
    const { findings } = await both([dir], { rules: ['watchlist'], watch: entries(f) });
    const why = findings.map((x) => x.Evidence.replace(/ \(.*\)$/, ''));
    expect(why).toEqual(expect.arrayContaining([
      'process "nc" matches watch-list entry "nc"',
      'user "mallory" matches watch-list entry "mallory"',
      'path "/opt/evil/helper" matches watch-list entry "/opt/evil/*"',
      `executable SHA-256 ${'B'.repeat(64)} matches watch-list entry "${'b'.repeat(64)}"`,
      'module "/usr/lib/libevil.so" matches watch-list entry "*/libevil.so"',
      'remote address 192.0.2.70 matches watch-list entry "192.0.2.64/26"',
      'Outbound TCP port 4444 matches watch-list entry "4444"',
    ]));
    expect(findings.every((x) => x.Rule === 'WatchList' && x.Severity === 'High')).toBe(true);
    expect(findings.find((x) => x.Evidence.startsWith('port') || x.Evidence.includes('4444'))?.Evidence).toContain(`${f}:4`);
  });

  test('one hit matched by a file entry and a parameter is one finding naming both', async () => {
    const f = join(t.dir, 'watch.txt');
    writeFileSync(f, 'address: 192.0.2.70\n');
    const param = [watchEntry('address', '192.0.2.64/26', 'parameter')];
    const { findings } = await both([logs([outbound(3000, NC, '192.0.2.70', 4444, 51000)])], { rules: ['watchlist'], watch: [...entries(f), ...param] });
    expect(findings.map((x) => x.Evidence)).toHaveLength(1);
    expect(findings[0].Evidence).toBe(`remote address 192.0.2.70 matches watch-list entries "192.0.2.70" (${f}:1), "192.0.2.64/26" (parameter)`);
  });

  test('clean log: nothing', async () => {
    expect((await both([logs()], { rules: ['watchlist'], watch: entries(list()) })).findings).toEqual([]);
  });

  test('a bad line is reported with file, line and field; the good ones are kept', () => {
    const f = list('port: 70000\nwhatever\nfrobnicate: x\n');
    const r = readWatchList(f);
    expect(r.entries).toHaveLength(8);
    expect(r.errors.map((e) => e.message)).toEqual([
      `${f}:10: field port: "70000" is not a port number (0-65535)`,
      `${f}:11: field kind: expected "kind: value", found "whatever"`,
      `${f}:12: field frobnicate: unknown kind "frobnicate" (one of: process, path, hash, module, user, address, host, port)`,
    ]);
  });
});

describe('suspicious paths and modules', () => {
  test('a program run from /dev/shm and a module loaded from /tmp are found', async () => {
    const w: Who = { pid: 7000, name: 'kworker', path: '/dev/shm/.k/kworker', user: 'www-data' };
    const { findings } = await both([logs([outbound(4000, w, '192.0.2.80', 443, 52000)], [seen(3999, w), seen(10, { ...NGINX, pid: 901 }, ['/tmp/libhook.so'])])], { rules: ['suspicious'] });
    expect(findings.map((f) => [f.Rule, f.ProcessName, f.Severity])).toEqual([['SuspiciousPath', 'kworker', 'Medium'], ['SuspiciousModule', 'nginx', 'Medium']]);
    expect(findings[1].Evidence).toContain('/tmp/libhook.so');
  });

  test('clean log: nothing', async () => {
    expect((await both([logs()], { rules: ['suspicious'] })).findings).toEqual([]);
  });
});

describe('baseline', () => {
  async function learn(): Promise<Baseline> {
    const { results } = await both([logs()]);
    return { Format: BASELINE_FORMAT, Version: 1, Created: at(0), After: null, Before: null, Sources: [], Items: baselineItems(results) };
  }

  test('keyed on service ports: the routine day has few items, no ephemeral ports', async () => {
    const b = await learn();
    expect(b.Items.filter((i) => i.Kind === 'ListeningPort').map((i) => i.ServicePort).sort()).toEqual([22, 443]);
    expect(b.Items.filter((i) => i.Kind === 'ServicePair').map((i) => `${i.ProcessName} ${i.Direction} ${i.ServicePort}`).sort())
      .toEqual(['curl Outbound 443', 'nginx Inbound 443', 'sshd Inbound 22']);
    expect(b.Items.every((i) => i.ServicePort === null || i.ServicePort < 1024)).toBe(true);
  });

  test('a new listener, service pair, remote host and user are found; the routine day again gives nothing', async () => {
    const b = await learn();
    t.cleanup(); t = tempDir();
    const py: Who = { pid: 8000, name: 'python3', path: '/usr/bin/python3.11', user: 'mallory' };
    const dir = logs([listen(100, py, 8080), inbound(200, py, 8080, '192.0.2.50', 53000), outbound(300, CURL, '192.0.2.77', 443, 53001), outbound(400, CURL, '203.0.113.80', 8443, 53002)], [], 'b');
    const { findings } = await both([dir], { rules: ['baseline'], baseline: b });
    expect(rulesOf(findings)).toEqual(['NewListeningPort', 'NewRemoteHost', 'NewServicePair', 'NewUser']);
    expect(findings.find((f) => f.Rule === 'NewListeningPort')).toMatchObject({ ProcessName: 'python3', Severity: 'Medium', Evidence: expect.stringContaining('TCP port 8080') });
    expect(findings.filter((f) => f.Rule === 'NewServicePair').map((f) => f.Evidence.split(': ')[1]).sort()).toEqual(['Inbound TCP service port 8080', 'Outbound TCP service port 8443']);
    expect(findings.filter((f) => f.Rule === 'NewRemoteHost').map((f) => f.Evidence)).toContainEqual(expect.stringContaining('talks to 192.0.2.77'));
    t.cleanup(); t = tempDir();
    expect((await both([logs([], [], 'c')], { rules: ['baseline'], baseline: b })).findings).toEqual([]);
  });

  test('a time range learns only that range', async () => {
    const { results } = await both([logs()], {}, [Date.parse(at(0)), Date.parse(at(2 * 3600))]);
    const hours = results.get('hosts')![0].ActiveHours;
    expect(hours).toBe(2);
  });
});

describe('beaconing', () => {
  const BOT: Who = { pid: 9000, name: 'updater', path: '/usr/local/bin/updater', user: 'root' };
  test('regular connections to one endpoint are found', async () => {
    const beacons = Array.from({ length: 30 }, (_, i) => outbound(7200 + i * 60 + (i % 3) - 1, BOT, '198.18.0.9', 8443, 54000 + i));
    const { findings } = await both([logs(beacons)], { rules: ['beaconing'] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ Rule: 'Beaconing', ProcessName: 'updater', Count: 30, Evidence: expect.stringMatching(/^30 connections to 198\.18\.0\.9:8443 every 60\.1 s \(jitter 2\.\d%\)$/) });
  });

  test('irregular connections are not; clean log: nothing', async () => {
    const noise = Array.from({ length: 30 }, (_, i) => outbound(7200 + ((i * i * 977) % 20000), BOT, '198.18.0.9', 8443, 54000 + i));
    expect((await both([logs(noise)], { rules: ['beaconing'] })).findings).toEqual([]);
    expect((await both([logs()], { rules: ['beaconing'] })).findings).toEqual([]);
  });
});

describe('rare', () => {
  test('a process and a remote host seen once are found', async () => {
    const TEL: Who = { pid: 9100, name: 'telnet', path: '/usr/bin/telnet', user: 'alice' };
    const { findings } = await both([logs([outbound(5000, TEL, '198.18.5.5', 23, 55000)])], { rules: ['rare'] });
    expect(findings.map((f) => [f.Rule, f.ProcessName ?? f.Evidence.split(' ')[0]])).toEqual([['RareProcess', 'telnet'], ['RareRemoteHost', '198.18.5.5']]);
    expect(findings.every((f) => f.Severity === 'Low' && f.Count === 1)).toBe(true);
  });

  test('clean log: nothing', async () => {
    expect((await both([logs()], { rules: ['rare'] })).findings).toEqual([]);
  });
});

describe('addresses', () => {
  test('an IPv4-mapped IPv6 address is the same remote host as the IPv4 one', async () => {
    const mapped = { ...outbound(7000, CURL, '::ffff:203.0.113.80', 443, 52000), AddressFamily: 'IPv6', LocalAddress: '::ffff:10.0.0.5' };
    const { results } = await both([logs([mapped])], { rules: ['rare'] });
    const hosts = remoteHosts(results).filter((h) => h.RemoteAddress?.endsWith('203.0.113.80'));
    expect(hosts.map((h) => [h.RemoteAddress, h.Connections])).toEqual([['203.0.113.80', 25]]);
    // Not an address: left as it is.
    expect(unmapIPv4('::ffff:host.example')).toBe('::ffff:host.example');
    expect(unmapIPv4('::FFFF:192.0.2.1')).toBe('192.0.2.1');
  });
});
