import { describe, expect, it } from 'vitest';
import { PackedSerializer, writePacked } from '../../src/output/packed.js';
import type { ConnectionRecord } from '../../src/model/record.js';

const base: ConnectionRecord = {
  Protocol: 'TCP', AddressFamily: 'IPv6', LocalAddress: '::1', LocalPort: 22, RemoteAddress: '::1', RemotePort: 50000,
  State: 'Established', ProcessId: 42, ProcessName: 'ss"h\nd', ExecutablePath: '/usr/sbin/\udcffsshd', CommandLine: 'sshd: root@pts/0 \u001b[2J',
  ParentProcessId: 1, ProcessStartTime: '2026-11-29T10:00:00.000Z', UserName: 'root', UserId: '0', ServiceName: 'ssh.service', IsService: true,
  Modules: ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/tmp/\udc80.so'], ExecutableSha256: 'ab'.repeat(32), BytesSent: 10, BytesReceived: 20,
  OwnerStatus: 'Known', HostName: 'h', ObservedAt: '2026-11-29T11:00:00.000Z', Platform: 'Linux',
  Linux: { Inode: 7, Cookie: '123', SocketUid: 0, CgroupPath: '/system.slice/ssh.service', NetNamespace: 'net:[1]', ContainerId: null, ContainerName: null, ContainerRuntime: null, PodUid: null, Source: 'netlink' },
};
const unknown: ConnectionRecord = {
  ...base, ProcessId: null, ProcessName: null, ExecutablePath: null, CommandLine: null, ParentProcessId: null,
  ProcessStartTime: null, UserName: null, UserId: null, ServiceName: null, IsService: false, Modules: null, ExecutableSha256: null,
  BytesSent: null, BytesReceived: null, OwnerStatus: 'NoInode', Linux: { ...base.Linux!, Inode: 0, Cookie: null, CgroupPath: null, NetNamespace: null },
};
const windows: ConnectionRecord = {
  ...base, ProcessId: 900, ProcessName: 'svchost', ExecutablePath: 'C:\\Windows\\System32\\svchost.exe', Platform: 'Windows', Linux: undefined,
  Windows: { CreationTime: null, HostedServices: ['Dnscache', 'Dhcp'], OwningService: 'Dnscache', OwningModule: 'Dnscache', SessionId: 0,
    LocalScopeId: 0, RemoteScopeId: 0, Source: 'OwnerModule', Denied: [] },
};
delete (windows as Partial<ConnectionRecord>).Linux;

/** The reference reader of the packed format: lines back to contract-1 records (docs/record.md). */
function readPacked(text: string): ConnectionRecord[] {
  const out: ConnectionRecord[] = [];
  const procs: Record<string, unknown>[] = [];
  let ctx: Record<string, unknown> | null = null;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const v = JSON.parse(line);
    if (Array.isArray(v)) {
      const [n, Protocol, AddressFamily, LocalAddress, LocalPort, RemoteAddress, RemotePort, State, BytesSent, BytesReceived, OwnerStatus, ext] = v;
      const { Linux: pl, Utf16: _u, ...proc } = procs[n - 1] as { Linux?: Record<string, string | null>; Utf16?: unknown };
      void _u;
      const r = { Protocol, AddressFamily, LocalAddress, LocalPort, RemoteAddress, RemotePort, State, ...proc, BytesSent, BytesReceived, OwnerStatus, ...ctx } as unknown as ConnectionRecord;
      if (Array.isArray(ext)) r.Linux = { Inode: ext[0], Cookie: ext[1], SocketUid: ext[2], CgroupPath: pl!.CgroupPath, NetNamespace: pl!.NetNamespace, ContainerId: pl!.ContainerId, ContainerName: pl!.ContainerName, ContainerRuntime: pl!.ContainerRuntime, PodUid: pl!.PodUid, Source: ext[3] };
      else if (ext !== null) r.Windows = ext;
      out.push(r);
    } else if ('Packed' in v) {
      const { Packed: _p, ...c } = v;
      void _p;
      ctx = c;
    } else procs.push(v);
  }
  return out;
}

const pack = (records: ConnectionRecord[]) => {
  let text = '';
  writePacked(records, (c) => { text += String(c); });
  return text;
};

describe('packed snapshot format (contract 2)', () => {
  it('reads back to exactly the contract-1 records, raw bytes, unknown owners and Windows extensions included', () => {
    const records = [base, { ...base, ProcessId: 77, Linux: { ...base.Linux!, CgroupPath: `/system.slice/docker-${'a'.repeat(64)}.scope`, ContainerId: 'a'.repeat(64), ContainerRuntime: 'docker', PodUid: null } }, { ...base, LocalPort: 23, Linux: { ...base.Linux!, Inode: 8, Source: 'procfs' as const } }, unknown,
      { ...unknown, LocalPort: 99 }, windows, { ...base, ObservedAt: '2026-11-29T11:00:01.000Z' }];
    const text = pack(records);
    expect(readPacked(text)).toEqual(JSON.parse(JSON.stringify(records)));
  });

  it('sends each process once and each context once, however many sockets refer to them', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...base, LocalPort: i % 65536, ProcessId: 42 + (i % 3) }));
    const lines = pack(many).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('{"Packed":'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('{"ProcessId":'))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('['))).toHaveLength(1000);
    expect(readPacked(lines.join('\n')).map((r) => r.ProcessId)).toEqual(many.map((r) => r.ProcessId));
  });

  it('keeps Utf16 code units in a process entry whose text holds raw bytes (for readers that drop lone surrogates)', () => {
    const entry = JSON.parse(new PackedSerializer().lines(base).split('\n')[1]);
    expect(String.fromCharCode(...entry.Utf16.ExecutablePath)).toBe('/usr/sbin/\udcffsshd');
    expect(Object.keys(entry.Utf16)).toEqual(['ExecutablePath', 'Modules']);
  });

  it('gives processes without a pid but with different facts their own entries', () => {
    const a = { ...unknown, UserName: 'alice' };
    const b = { ...unknown, UserName: 'bob' };
    expect(readPacked(pack([a, b, a])).map((r) => r.UserName)).toEqual(['alice', 'bob', 'alice']);
  });
});
