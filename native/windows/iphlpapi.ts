/** iphlpapi.dll: the TCP and UDP tables with owning pids and modules. Win32 names exact. */
import { kernel32Library, optionalFunction, systemLibrary } from './system.js';

export const AF_INET = 2;
export const AF_INET6 = 23;
/** TCP_TABLE_CLASS / UDP_TABLE_CLASS values. */
export const TCP_TABLE_OWNER_PID_ALL = 5;
export const TCP_TABLE_OWNER_MODULE_ALL = 8;
export const UDP_TABLE_OWNER_PID = 1;
export const UDP_TABLE_OWNER_MODULE = 2;
/** TCPIP_OWNER_MODULE_INFO_CLASS. */
export const TCPIP_OWNER_MODULE_INFO_BASIC = 0;

/** TCP_ESTATS_TYPE TcpConnectionEstatsData. */
export const TcpConnectionEstatsData = 1;

type EstatsGet = (row: Buffer, type: number, rw: Buffer | null, rwVersion: number, rwSize: number, ros: Buffer | null, rosVersion: number, rosSize: number, rod: Buffer | null, rodVersion: number, rodSize: number) => number;
type EstatsSet = (row: Buffer, type: number, rw: Buffer, rwVersion: number, rwSize: number, offset: number) => number;

type TableFn = (table: Buffer | null, size: Buffer, order: number, af: number, cls: number, reserved: number) => number;
type OwnerFn = (row: Buffer, cls: number, buffer: Buffer, size: Buffer) => number;

export interface Iphlpapi {
  GetExtendedTcpTable: TableFn;
  GetExtendedUdpTable: TableFn;
  /** Absent under Wine and on old systems: null then. */
  GetOwnerModuleFromTcpEntry(): OwnerFn | null;
  GetOwnerModuleFromUdpEntry(): OwnerFn | null;
  GetOwnerModuleFromTcp6Entry(): OwnerFn | null;
  GetOwnerModuleFromUdp6Entry(): OwnerFn | null;
  /** ESTATS (Vista and later; absent under Wine): null then. */
  GetPerTcpConnectionEStats(): EstatsGet | null;
  GetPerTcp6ConnectionEStats(): EstatsGet | null;
  SetPerTcpConnectionEStats(): EstatsSet | null;
  SetPerTcp6ConnectionEStats(): EstatsSet | null;
}

let cached: Iphlpapi | undefined;

export function iphlpapi(): Iphlpapi {
  if (cached) return cached;
  void kernel32Library();
  const lib = systemLibrary('iphlpapi.dll');
  const estatsGet = (name: string) => optionalFunction<EstatsGet>(() => lib, `uint32_t __stdcall ${name}(void *Row, int EstatsType, void *Rw, uint32_t RwVersion, uint32_t RwSize, void *Ros, uint32_t RosVersion, uint32_t RosSize, void *Rod, uint32_t RodVersion, uint32_t RodSize)`);
  const estatsSet = (name: string) => optionalFunction<EstatsSet>(() => lib, `uint32_t __stdcall ${name}(void *Row, int EstatsType, void *Rw, uint32_t RwVersion, uint32_t RwSize, uint32_t Offset)`);
  const owner = (name: string) => optionalFunction<OwnerFn>(() => lib, `uint32_t __stdcall ${name}(void *pTcpEntry, int Class, void *pBuffer, void *pdwSize)`);
  cached = {
    GetExtendedTcpTable: lib.func('uint32_t __stdcall GetExtendedTcpTable(void *pTcpTable, void *pdwSize, int bOrder, uint32_t ulAf, int TableClass, uint32_t Reserved)'),
    GetExtendedUdpTable: lib.func('uint32_t __stdcall GetExtendedUdpTable(void *pUdpTable, void *pdwSize, int bOrder, uint32_t ulAf, int TableClass, uint32_t Reserved)'),
    GetOwnerModuleFromTcpEntry: owner('GetOwnerModuleFromTcpEntry'),
    GetOwnerModuleFromUdpEntry: owner('GetOwnerModuleFromUdpEntry'),
    GetOwnerModuleFromTcp6Entry: owner('GetOwnerModuleFromTcp6Entry'),
    GetOwnerModuleFromUdp6Entry: owner('GetOwnerModuleFromUdp6Entry'),
    GetPerTcpConnectionEStats: estatsGet('GetPerTcpConnectionEStats'),
    GetPerTcp6ConnectionEStats: estatsGet('GetPerTcp6ConnectionEStats'),
    SetPerTcpConnectionEStats: estatsSet('SetPerTcpConnectionEStats'),
    SetPerTcp6ConnectionEStats: estatsSet('SetPerTcp6ConnectionEStats'),
  };
  return cached;
}
