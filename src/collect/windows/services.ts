/**
 * One service enumeration per snapshot: pid -> every service hosted in that process
 * (EnumServicesStatusExW, SC_ENUM_PROCESS_INFO), so each svchost.exe instance names its services:
 * Port Reporter's signature feature.
 */
import koffi from 'koffi';
import { advapi32, SC_ENUM_PROCESS_INFO, SC_MANAGER_ENUMERATE_SERVICE, SERVICE_ACTIVE, SERVICE_WIN32 } from '../../../native/windows/advapi32.js';
import { ERROR_MORE_DATA, invalidHandle, kernel32 } from '../../../native/windows/kernel32.js';
import { decodeEnumServiceStatusProcess, type ServiceProcess } from './mibtable.js';

/** Running services by pid (names sorted); throws with the Win32 error when the manager cannot be read. */
export function servicesByPid(): Map<number, string[]> {
  const list = enumerateServices();
  const out = new Map<number, string[]>();
  for (const s of list) {
    if (s.pid === 0) continue;
    const names = out.get(s.pid) ?? [];
    names.push(s.serviceName);
    out.set(s.pid, names);
  }
  for (const v of out.values()) v.sort((a, b) => a.localeCompare(b));
  return out;
}

export function enumerateServices(): ServiceProcess[] {
  const a = advapi32();
  const scm = a.OpenSCManagerW(null, null, SC_MANAGER_ENUMERATE_SERVICE);
  if (invalidHandle(scm)) throw new Error(`OpenSCManagerW failed (error ${kernel32().GetLastError()})`);
  try {
    const out: ServiceProcess[] = [];
    const needed = Buffer.alloc(4), returned = Buffer.alloc(4), resume = Buffer.alloc(4);
    let buf = Buffer.alloc(64 * 1024);
    for (let i = 0; i < 64; i++) {
      const ok = a.EnumServicesStatusExW(scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE, buf, buf.length, needed, returned, resume, null);
      const err = ok ? 0 : kernel32().GetLastError();
      if (!ok && err !== ERROR_MORE_DATA) throw new Error(`EnumServicesStatusExW failed (error ${err})`);
      out.push(...decodeEnumServiceStatusProcess(buf, koffi.address(buf), returned.readUInt32LE(0)));
      if (ok) return out;
      // More entries: resume where this call stopped, with room for the largest entry.
      if (needed.readUInt32LE(0) > buf.length) buf = Buffer.alloc(needed.readUInt32LE(0));
    }
    return out;
  } finally {
    a.CloseServiceHandle(scm);
  }
}
