/**
 * The TCP and UDP tables through iphlpapi: each call loops while ERROR_INSUFFICIENT_BUFFER (the
 * table grows between the size probe and the read), OWNER_MODULE classes first, OWNER_PID when a
 * system refuses them. I/O only: the rows are decoded by mibtable.ts.
 */
import { AF_INET, AF_INET6, iphlpapi, TCP_TABLE_OWNER_MODULE_ALL, TCP_TABLE_OWNER_PID_ALL, UDP_TABLE_OWNER_MODULE, UDP_TABLE_OWNER_PID } from '../../../native/windows/iphlpapi.js';
import { ERROR_INSUFFICIENT_BUFFER } from '../../../native/windows/kernel32.js';
import { decodeTable, type MibRow, type RowStruct } from './mibtable.js';

const NO_ERROR = 0;
const ATTEMPTS = 8;

export interface TableRows { protocol: 'TCP' | 'UDP'; struct: RowStruct; rows: MibRow[] }

type Call = (buf: Buffer | null, size: Buffer) => number;

/** Read one table into a buffer big enough for it; throws with the Win32 error code. */
function read(call: Call, what: string): Buffer {
  const size = Buffer.alloc(4);
  let buf: Buffer | null = null;
  for (let i = 0; i < ATTEMPTS; i++) {
    const rc = call(buf, size);
    if (rc === NO_ERROR && buf) return buf;
    if (rc !== ERROR_INSUFFICIENT_BUFFER && !(rc === NO_ERROR && !buf)) throw Object.assign(new Error(`${what} failed (error ${rc})`), { win32: rc });
    // Room for the rows that appear meanwhile.
    buf = Buffer.alloc(size.readUInt32LE(0) + 16 * 1024);
    size.writeUInt32LE(buf.length, 0);
  }
  throw new Error(`${what}: the table kept growing (${ATTEMPTS} attempts)`);
}

/** Every TCP and UDP table, IPv4 and IPv6; a table that cannot be read is reported and skipped. */
export function readTables(report: (msg: string) => void): TableRows[] {
  const api = iphlpapi();
  const out: TableRows[] = [];
  const tables: [('TCP' | 'UDP'), number, RowStruct, number, RowStruct, number][] = [
    ['TCP', AF_INET, 'MIB_TCPROW_OWNER_MODULE', TCP_TABLE_OWNER_MODULE_ALL, 'MIB_TCPROW_OWNER_PID', TCP_TABLE_OWNER_PID_ALL],
    ['TCP', AF_INET6, 'MIB_TCP6ROW_OWNER_MODULE', TCP_TABLE_OWNER_MODULE_ALL, 'MIB_TCP6ROW_OWNER_PID', TCP_TABLE_OWNER_PID_ALL],
    ['UDP', AF_INET, 'MIB_UDPROW_OWNER_MODULE', UDP_TABLE_OWNER_MODULE, 'MIB_UDPROW_OWNER_PID', UDP_TABLE_OWNER_PID],
    ['UDP', AF_INET6, 'MIB_UDP6ROW_OWNER_MODULE', UDP_TABLE_OWNER_MODULE, 'MIB_UDP6ROW_OWNER_PID', UDP_TABLE_OWNER_PID],
  ];
  for (const [protocol, af, modStruct, modClass, pidStruct, pidClass] of tables) {
    const fn = protocol === 'TCP' ? api.GetExtendedTcpTable : api.GetExtendedUdpTable;
    const name = `GetExtended${protocol === 'TCP' ? 'Tcp' : 'Udp'}Table(${af === AF_INET ? 'AF_INET' : 'AF_INET6'})`;
    try {
      out.push({ protocol, struct: modStruct, rows: decodeTable(modStruct, read((b, s) => fn(b, s, 0, af, modClass, 0), name)) });
    } catch (e) {
      try {
        out.push({ protocol, struct: pidStruct, rows: decodeTable(pidStruct, read((b, s) => fn(b, s, 0, af, pidClass, 0), name)) });
      } catch (e2) {
        report(`${(e as Error).message}; ${(e2 as Error).message}`);
      }
    }
  }
  return out;
}
