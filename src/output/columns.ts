/** Flat columns of a connection record, for CSV and tables. */
import type { ConnectionRecord } from '../model/record.js';

export interface Column {
  name: string;
  /** Text cells that may carry attacker-controlled content (guarded against formula injection). */
  text: boolean;
  get(r: ConnectionRecord): string | number | boolean | null;
}

const col = (name: keyof ConnectionRecord, text = false): Column => ({
  name, text, get: (r) => r[name] as string | number | boolean | null,
});

export const CONNECTION_COLUMNS: Column[] = [
  col('ObservedAt'), col('HostName', true), col('Protocol'), col('AddressFamily'),
  col('LocalAddress'), col('LocalPort'), col('RemoteAddress'), col('RemotePort'), col('State'),
  col('ProcessId'), col('ProcessName', true), col('ExecutablePath', true), col('CommandLine', true),
  col('ParentProcessId'), col('ProcessStartTime'), col('UserName', true), col('UserId', true),
  col('ServiceName', true), col('IsService'),
  { name: 'Modules', text: true, get: (r) => (r.Modules ? JSON.stringify(r.Modules) : null) },
  col('ExecutableSha256'), col('BytesSent'), col('BytesReceived'), col('OwnerStatus'), col('Platform'),
  { name: 'LinuxInode', text: false, get: (r) => r.Linux?.Inode ?? null },
  { name: 'LinuxCookie', text: false, get: (r) => r.Linux?.Cookie ?? null },
  { name: 'LinuxSocketUid', text: false, get: (r) => r.Linux?.SocketUid ?? null },
  { name: 'LinuxCgroupPath', text: true, get: (r) => r.Linux?.CgroupPath ?? null },
  { name: 'LinuxNetNamespace', text: true, get: (r) => r.Linux?.NetNamespace ?? null },
  { name: 'LinuxSource', text: false, get: (r) => r.Linux?.Source ?? null },
  // Added after the first release: an initial log written before them lacks them (readers go by name).
  { name: 'LinuxContainerId', text: true, get: (r) => r.Linux?.ContainerId ?? null },
  { name: 'LinuxContainerName', text: true, get: (r) => r.Linux?.ContainerName ?? null },
];
