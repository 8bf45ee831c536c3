/**
 * SIEM export (issue 15): ECS 9 and OCSF 1.8.0 documents from logs with hostile names and from a
 * live snapshot, each validated against the schemas' field definitions (types, enums, required
 * fields; test/helpers/siem.ts over test/fixtures/siem), the mapping checked where it matters
 * (direction, initiator, event types, durations, hosted services), raw bytes kept exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { communityId } from '../../src/export/flow.js';
import { at, inbound, listen, outbound, writeConnections, type Who } from '../helpers/logs.js';
import { runSidecar } from '../helpers/procs.js';
import { ecsProblems, ocsfProblems } from '../helpers/siem.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOSTILE: Who = { pid: 4242, name: 'bad\udcff\udcfe<script>', path: '/tmp/x"\n\u001b[2J', user: 'u,"v"', service: 'svc' };
const SVCHOST: Who = { pid: 900, name: 'svchost.exe', path: 'C:\\Windows\\System32\\svchost.exe', user: 'NT AUTHORITY\\SYSTEM', service: 'Dnscache, LanmanWorkstation' };

let dir: string;
let srv: Server;
let client: Socket;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portreport-siem-'));
  writeConnections(dir, '1', [
    listen(0, SVCHOST, 5355),
    outbound(10, HOSTILE, '192.0.2.9', 443, 41000),
    { ...outbound(20, HOSTILE, '192.0.2.9', 443, 41001), Event: 'Close', State: 'Close', FirstSeen: at(15), DurationSeconds: 5.25, BytesSent: 100, BytesReceived: 2000 },
    inbound(30, SVCHOST, 5355, '198.51.100.7', 50000),
    { ...outbound(40, SVCHOST, '2001:db8::1', 53, 41002), AddressFamily: 'IPv6', LocalAddress: '2001:db8::5' },
  ]);
  srv = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  client = connect((srv.address() as { port: number }).port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
});
afterAll(() => { client?.destroy(); srv?.close(); rmSync(dir, { recursive: true, force: true }); });

const exported = (format: string, args: string[]): Doc[] => {
  const r = runSidecar(['export', ...args, '--format', format]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
};

describe('export --format ecs', () => {
  it('writes valid ECS 9 documents from logs and from a live snapshot', () => {
    const docs = [...exported('ecs', [dir]), ...exported('ecs', ['--live'])];
    expect(docs.length).toBeGreaterThan(6);
    for (const d of docs) expect(ecsProblems(d), JSON.stringify(d)).toEqual([]);
  });

  it('maps direction, initiator, event types, durations, services and raw bytes', () => {
    const [lst, open, close, inb, v6] = exported('ecs', [dir]);
    expect(lst).toMatchObject({ event: { type: ['info'], action: 'network-listen' }, source: { port: 5355 }, network: { transport: 'tcp', direction: 'unknown' } });
    expect(lst.portreport.hosted_services).toEqual(['Dnscache', 'LanmanWorkstation']);
    expect(open).toMatchObject({ event: { category: ['network'], type: ['start', 'connection'] }, source: { ip: '10.0.0.5', port: 41000 }, destination: { ip: '192.0.2.9', port: 443 },
      network: { direction: 'outbound', community_id: communityId('TCP', '10.0.0.5', 41000, '192.0.2.9', 443) }, process: { pid: 4242 }, user: { name: 'u,"v"' }, host: { name: 'web01' } });
    expect(close).toMatchObject({ event: { type: ['end', 'connection'], duration: 5_250_000_000, start: at(15) }, source: { bytes: 100 }, destination: { bytes: 2000 }, network: { bytes: 2100 } });
    expect(inb).toMatchObject({ source: { ip: '198.51.100.7', port: 50000 }, destination: { ip: '10.0.0.5', port: 5355 }, network: { direction: 'inbound' } });
    expect(v6).toMatchObject({ network: { type: 'ipv6' }, destination: { ip: '2001:db8::1' } });
    // Not UTF-8: U+FFFD in the field, the exact bytes in portreport.exact_bytes.
    expect(open.process.name).toBe('bad\ufffd\ufffd<script>');
    expect(Buffer.from(open.portreport.exact_bytes['process.name'], 'base64')).toEqual(Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0xfe]), Buffer.from('<script>')]));
    expect(open.process.executable).toBe(HOSTILE.path);
  });

  it('catches a document that is not ECS (the validator can fail)', () => {
    const [, open] = exported('ecs', [dir]);
    expect(ecsProblems({ ...open, source: { ...open.source, port: '443' }, network: { ...open.network, flavour: 'x' }, event: { ...open.event, type: ['creation'] } })).toEqual([
      'source.port: "443" is not of type long', 'network.flavour: not an ECS field', 'event.type creation is not expected for event.category network']);
    const { ecs: _e, ...noVersion } = open;
    void _e;
    expect(ecsProblems(noVersion)).toEqual(['ecs.version: missing']);
  });
});

describe('export --format ocsf', () => {
  it('writes valid OCSF 1.8.0 Network Activity events from logs and from a live snapshot', () => {
    const evs = [...exported('ocsf', [dir]), ...exported('ocsf', ['--live'])];
    for (const e of evs) expect(ocsfProblems(e), JSON.stringify(e)).toEqual([]);
    expect(new Set(evs.map((e) => e.activity_id))).toEqual(new Set([7, 1, 2, 6]));
  });

  it('maps activities, endpoints, direction, traffic, actor and hosted services (the Windows extension)', () => {
    const [lst, open, close, inb] = exported('ocsf', [dir]);
    expect(lst).toMatchObject({ class_uid: 4001, activity_id: 7, type_uid: 400107, dst_endpoint: { port: 5355 }, metadata: { version: '1.8.0', extensions: [{ name: 'win', uid: '2', version: '1.8.0' }] } });
    expect(lst.actor.process.hosted_services).toEqual([{ name: 'Dnscache' }, { name: 'LanmanWorkstation' }]);
    expect(open).toMatchObject({ activity_id: 1, src_endpoint: { ip: '10.0.0.5', port: 41000 }, dst_endpoint: { ip: '192.0.2.9', port: 443 },
      connection_info: { direction_id: 2, protocol_num: 6, protocol_ver_id: 4 }, actor: { process: { pid: 4242, file: { path: HOSTILE.path } }, user: { name: 'u,"v"' } }, time: Date.parse(at(10)) });
    expect(open.metadata.extensions).toBeUndefined();
    expect(close).toMatchObject({ activity_id: 2, duration: 5250, traffic: { bytes_out: 100, bytes_in: 2000, bytes: 2100 } });
    expect(inb).toMatchObject({ src_endpoint: { ip: '198.51.100.7' }, connection_info: { direction_id: 1 } });
    expect(Buffer.from(open.unmapped.portreport_exact_bytes['actor.process.name'], 'base64').subarray(3, 5)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(ocsfProblems({ ...open, activity_id: 42, connection_info: { protocol_num: 6 } })).toEqual(['activity_id: 42 is not one of its enum values', 'connection_info.direction_id: required, missing']);
  });

  it('writes to a new owner-only file with --out, and refuses to replace one without --force', () => {
    const out = join(dir, 'events.ocsf.ndjson');
    expect(runSidecar(['export', dir, '--format', 'ocsf', '--out', out]).status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
    const again = runSidecar(['export', dir, '--format', 'ocsf', '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });
});

describe('Community ID', () => {
  it('matches the specification\'s example and is the same from either end', () => {
    expect(communityId('TCP', '128.232.110.120', 34855, '66.35.250.204', 80)).toBe('1:LQU9qZlK+B5F3KDmev6m5PMibrg=');
    expect(communityId('TCP', '66.35.250.204', 80, '128.232.110.120', 34855)).toBe('1:LQU9qZlK+B5F3KDmev6m5PMibrg=');
    expect(communityId('UDP', '2001:db8::5', 41002, '2001:db8::1', 53)).toBe(communityId('UDP', '2001:db8::1', 53, '2001:db8::5', 41002));
  });
});
