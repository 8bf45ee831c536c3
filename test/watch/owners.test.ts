/**
 * The logger's owner cache, on this host's real processes: seeded from the initial snapshot, the
 * first poll neither scans fds nor reads (or hashes) a process again, and each process is
 * announced once.
 */
import { expect, onTestFinished, test } from 'vitest';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { collectLinux } from '../../src/collect/linux/index.js';
import { ProcessReader } from '../../src/collect/linux/process.js';
import { OwnerCache } from '../../src/watch/owners.js';
import type { ProcessInfo } from '../../src/model/record.js';
import { dumpSockets } from '../../src/collect/linux/netlink.js';

test('seeded from the snapshot: no second scan, read or hash on the first poll', async () => {
  // Sockets of our own, so the host has owned sockets.
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  onTestFinished(() => { client.destroy(); server.close(); });
  const snap = await collectLinux({ filter: {}, includeModules: true, includeHash: true, source: 'auto' });
  const owned = snap.records.filter((r) => r.ProcessId !== null && r.Linux && r.Linux.Inode !== 0);
  expect(owned.length).toBeGreaterThan(0);
  const reader = new ProcessReader();
  let reads = 0;
  const read = reader.read.bind(reader);
  reader.read = (pid, o) => { reads++; return read(pid, o); };
  const announced: ProcessInfo[] = [];
  const cache = new OwnerCache(reader, true, (p) => announced.push(p));
  cache.seed(snap.records);
  expect(announced.map((p) => p.ProcessId).sort()).toEqual([...new Set(owned.map((r) => r.ProcessId!))].sort());
  expect(announced.every((p) => p.ExecutableSha256 === null || /^[0-9a-f]{64}$/.test(p.ExecutableSha256))).toBe(true);

  // The first poll: the same sockets (those still open) resolve without a scan and without reads.
  const inodes = new Set(owned.map((r) => r.Linux!.Inode));
  const still = dumpSockets().filter((s) => inodes.has(s.inode));
  cache.resolve(still.map((s) => s.inode));
  for (const s of still) expect(cache.lookup(s).status).toBe('Known');
  expect(cache.scans).toBe(0);
  expect(reads).toBe(0);
  expect(announced.length).toBe(new Set(owned.map((r) => r.ProcessId)).size);
});
