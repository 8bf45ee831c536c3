import { describe, expect, it } from 'vitest';
import { NdjsonSerializer, writeNdjson } from '../../src/output/ndjson.js';
import type { ConnectionRecord } from '../../src/model/record.js';

const base: ConnectionRecord = {
  Protocol: 'TCP', AddressFamily: 'IPv6', LocalAddress: '::1', LocalPort: 22, RemoteAddress: '::1', RemotePort: 50000,
  State: 'Established', ProcessId: 42, ProcessName: 'ss"h\nd', ExecutablePath: '/usr/sbin/sshd', CommandLine: 'sshd: root@pts/0 \u001b[2J',
  ParentProcessId: 1, ProcessStartTime: '2026-11-29T10:00:00.000Z', UserName: 'root', UserId: '0', ServiceName: 'ssh.service', IsService: true,
  Modules: ['/usr/lib/x86_64-linux-gnu/libc.so.6'], ExecutableSha256: 'ab'.repeat(32), BytesSent: 10, BytesReceived: 20,
  OwnerStatus: 'Known', HostName: 'h', ObservedAt: '2026-11-29T11:00:00.000Z', Platform: 'Linux',
  Linux: { Inode: 7, Cookie: '123', SocketUid: 0, CgroupPath: '/system.slice/ssh.service', NetNamespace: 'net:[1]', ContainerId: null, ContainerName: null, ContainerRuntime: null, PodUid: null, Source: 'netlink' },
};

describe('NDJSON serializer', () => {
  it('parses to exactly what JSON.stringify gives, for known and unknown owners', () => {
    const unknown: ConnectionRecord = { ...base, ProcessId: null, ProcessName: null, ExecutablePath: null, CommandLine: null, ParentProcessId: null,
      ProcessStartTime: null, UserName: null, UserId: null, ServiceName: null, IsService: false, Modules: null, ExecutableSha256: null,
      BytesSent: null, BytesReceived: null, OwnerStatus: 'NoInode' };
    const ser = new NdjsonSerializer();
    for (const r of [base, { ...base, LocalPort: 23 }, unknown]) {
      const line = ser.line(r);
      expect(line.endsWith('\n')).toBe(true);
      expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(r)));
    }
  });

  it('adds Utf16 code units for text holding raw bytes, so readers that drop lone surrogates can restore it', () => {
    const r: ConnectionRecord = { ...base, ProcessId: 43, ExecutablePath: '/tmp/\udcff\udcfex', Modules: ['/lib/a.so', '/tmp/\udc80.so'] };
    const o = JSON.parse(new NdjsonSerializer().line(r));
    expect(o.ExecutablePath).toBe('/tmp/\udcff\udcfex');
    expect(String.fromCharCode(...o.Utf16.ExecutablePath)).toBe('/tmp/\udcff\udcfex');
    expect(o.Utf16.Modules.map((u: number[]) => String.fromCharCode(...u))).toEqual(['/lib/a.so', '/tmp/\udc80.so']);
    expect(Object.keys(o.Utf16)).toEqual(['ExecutablePath', 'Modules']);
    const { Utf16, ...rest } = o;
    void Utf16;
    expect(rest).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('writes in chunks and loses nothing', () => {
    const chunks: string[] = [];
    const many = Array.from({ length: 500 }, (_, i) => ({ ...base, LocalPort: i }));
    writeNdjson(many, (c) => chunks.push(String(c)));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l).LocalPort)).toEqual(many.map((r) => r.LocalPort));
  });
});
