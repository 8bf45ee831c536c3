/**
 * The one normalized connection record (contract versions 1 and 2). Every collector produces it, every
 * analysis consumes only it. docs/record.md is the reference; keep both in step.
 *
 * Property names are PascalCase and double as the PowerShell property names; the names a
 * Get-NetTCPConnection user knows (LocalAddress, LocalPort, RemoteAddress, RemotePort, State) are
 * kept, and the module adds OwningProcess as an alias of ProcessId.
 */

/**
 * Contract 2 adds the packed snapshot format (`--format packed`, src/output/packed.ts) that the
 * module reads; every record and every other output is as in contract 1, which is still spoken.
 */
export const CONTRACT_VERSION = 2;
export const CONTRACT_VERSIONS: readonly number[] = [1, 2];
export const CONNECTION_TYPE = 'PortReport.Connection';

export type Protocol = 'TCP' | 'UDP';
export type AddressFamily = 'IPv4' | 'IPv6';

/** TCP states as Get-NetTCPConnection names them, plus Bound for an unconnected UDP socket. */
export type SocketState =
  | 'Established' | 'SynSent' | 'SynReceived' | 'FinWait1' | 'FinWait2' | 'TimeWait' | 'Closed'
  | 'CloseWait' | 'LastAck' | 'Listen' | 'Closing' | 'NewSynReceived' | 'Bound' | 'Unknown';

export const SOCKET_STATES: readonly SocketState[] = [
  'Established', 'SynSent', 'SynReceived', 'FinWait1', 'FinWait2', 'TimeWait', 'Closed',
  'CloseWait', 'LastAck', 'Listen', 'Closing', 'NewSynReceived', 'Bound', 'Unknown',
];

/**
 * Why the owner is or is not known. Known: attributed to a process. NoInode: the kernel keeps no
 * owner (TIME_WAIT, SYN_RECV). NotFound: no visible process holds the socket (exited, another pid
 * namespace). AccessDenied: a process was found but its details could not be read. Inferred (logs
 * only): a connection that lived between two polls, attributed to the listener on its local port.
 */
export type OwnerStatus = 'Known' | 'NoInode' | 'NotFound' | 'AccessDenied' | 'Inferred';

/** Linux-only facts: a documented platform extension, not part of the shared core. */
export interface LinuxExtension {
  Inode: number;
  /** sock_diag socket cookie (decimal string; 64-bit), stable for the socket's life. */
  Cookie: string | null;
  /** uid the kernel records for the socket (its creator). */
  SocketUid: number;
  /** cgroup v2 path of the owning process (from /proc/<pid>/cgroup). */
  CgroupPath: string | null;
  /** Network namespace, as the link text of /proc/<pid>/ns/net ("net:[4026531840]"). */
  NetNamespace: string | null;
  /** The container the owning process runs in, from its cgroup path (src/collect/linux/container.ts); null on the host. */
  ContainerId: string | null;
  /** Its name, from the runtime's own files (src/collect/linux/containername.ts), when they are there. */
  ContainerName: string | null;
  /** docker, containerd, cri-o, podman, lxc or nspawn; null on the host. */
  ContainerRuntime: string | null;
  /** Kubernetes pod uid, when the cgroup path names one. */
  PodUid: string | null;
  /** Where the socket row came from: "netlink" or "procfs". */
  Source: 'netlink' | 'procfs';
}

/** Windows-only facts (docs/record.md): a documented platform extension, like Linux's. */
export interface WindowsExtension {
  /** When the socket was created (liCreateTimestamp), ISO-8601 UTC; null when the system does not say (Wine). */
  CreationTime: string | null;
  /** Every service hosted in the owning process (each svchost.exe instance's), sorted. */
  HostedServices: string[];
  /** The one service that owns this socket, where the system resolves it (GetOwnerModuleFrom*Entry). */
  OwningService: string | null;
  /** The owning module's name as GetOwnerModuleFrom*Entry gives it (the service, or the image name). */
  OwningModule: string | null;
  SessionId: number | null;
  LocalScopeId: number;
  RemoteScopeId: number;
  /** The table class the row came from: OWNER_MODULE, or OWNER_PID where the system refuses it. */
  Source: 'OwnerModule' | 'OwnerPid';
  /** What could not be read about the owner (opening the process, its token, its command line). */
  Denied: string[];
}

/** Process context shared by every socket of one process. */
export interface ProcessInfo {
  ProcessId: number;
  ProcessName: string;
  ExecutablePath: string | null;
  CommandLine: string | null;
  ParentProcessId: number | null;
  /** ISO-8601 UTC. */
  ProcessStartTime: string | null;
  UserName: string | null;
  /** uid on Linux (as a string), SID on Windows. */
  UserId: string | null;
  /** systemd unit on Linux, service name(s) on Windows. */
  ServiceName: string | null;
  IsService: boolean;
  /** Loaded modules (shared objects / DLLs): only with --include-modules, else null. */
  Modules: string[] | null;
  /** Executable SHA-256 (lower-case hex): only with --include-hash, else null. */
  ExecutableSha256: string | null;
  /** Linux: cgroup path; carried into the record's Linux extension. */
  CgroupPath?: string | null;
  NetNamespace?: string | null;
  /** Linux: the container it runs in (id and name, as in the record's Linux extension); null on the host. */
  ContainerId?: string | null;
  ContainerName?: string | null;
}

export interface ConnectionRecord {
  Protocol: Protocol;
  AddressFamily: AddressFamily;
  LocalAddress: string;
  LocalPort: number;
  RemoteAddress: string;
  RemotePort: number;
  State: SocketState;
  ProcessId: number | null;
  ProcessName: string | null;
  ExecutablePath: string | null;
  CommandLine: string | null;
  ParentProcessId: number | null;
  ProcessStartTime: string | null;
  UserName: string | null;
  UserId: string | null;
  ServiceName: string | null;
  IsService: boolean;
  Modules: string[] | null;
  ExecutableSha256: string | null;
  /** TCP only: bytes acknowledged by the peer / received (null for UDP or when unknown). */
  BytesSent: number | null;
  BytesReceived: number | null;
  OwnerStatus: OwnerStatus;
  HostName: string;
  /** ISO-8601 UTC time the snapshot was taken. */
  ObservedAt: string;
  Platform: 'Linux' | 'Windows';
  Linux?: LinuxExtension;
  Windows?: WindowsExtension;
}

/** A socket as a platform's enumerator sees it, before process attribution. */
export interface RawSocket {
  protocol: Protocol;
  family: AddressFamily;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: SocketState;
  inode: number;
  uid: number;
  cookie: string | null;
  bytesAcked: number | null;
  bytesReceived: number | null;
  source: 'netlink' | 'procfs';
  /** The network namespace the socket lives in ("net:[…]"), when known. */
  netns?: string | null;
}
