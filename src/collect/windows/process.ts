/**
 * Process context on Windows, the same surface as Linux's ProcessReader: one toolhelp snapshot
 * per collection (every pid's parent and image name, readable even for protected processes), then
 * per owning pid its image path, creation time, user and command line; modules and the executable
 * hash on request. A process that cannot be opened (System, csrss, lsass when not SYSTEM) keeps
 * what the snapshot knows and says what was denied.
 */
import koffi from 'koffi';
import { invalidHandle, kernel32, PROCESS_QUERY_INFORMATION, PROCESS_QUERY_LIMITED_INFORMATION, PROCESS_VM_READ, PROCESSENTRY32W_SIZE, TH32CS_SNAPPROCESS } from '../../../native/windows/kernel32.js';
import { NtQueryInformationProcess, ProcessCommandLineInformation } from '../../../native/windows/ntdll.js';
import { LIST_MODULES_ALL, psapi } from '../../../native/windows/psapi.js';
import { wide } from '../../../native/windows/system.js';
import type { ProcessInfo } from '../../model/record.js';
import { FileHashCache } from '../filehash.js';
import { AccountResolver } from './accounts.js';
import { fileTimeToIso, wideString } from './mibtable.js';
import { decodeCommandLine, PARAMETERS_COMMAND_LINE, PEB_PROCESS_PARAMETERS, pebAddress, pointerAt, PROCESS_BASIC_INFORMATION_SIZE, ProcessBasicInformation, processNameFromImage, unicodeStringAt } from './peb.js';

export interface WindowsProcess extends ProcessInfo {
  /** Services hosted in the process (every one, for an svchost.exe instance). */
  HostedServices: string[];
  SessionId: number | null;
  /** What could not be read (opening the process, its token, its command line). */
  Denied: string[];
}

/** PROCESSENTRY32W: th32ProcessID @8, th32ParentProcessID @32, szExeFile[260] @44. */
export function decodeProcessEntry(b: Buffer): { pid: number; parent: number; exe: string } {
  return { pid: b.readUInt32LE(8), parent: b.readUInt32LE(32), exe: wideString(b.subarray(0, 44 + 520), 44) ?? '' };
}

export class WindowsProcessReader {
  readonly accounts = new AccountResolver();
  private hashes = new FileHashCache();
  private table = new Map<number, { parent: number; exe: string }>();

  constructor(private services: Map<number, string[]>) {
    const k = kernel32();
    const snap = k.CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (invalidHandle(snap)) return;
    try {
      const e = Buffer.alloc(PROCESSENTRY32W_SIZE);
      e.writeUInt32LE(PROCESSENTRY32W_SIZE, 0);
      for (let ok = k.Process32FirstW(snap, e); ok; ok = k.Process32NextW(snap, e)) {
        const p = decodeProcessEntry(e);
        this.table.set(p.pid, { parent: p.parent, exe: p.exe });
      }
    } finally { k.CloseHandle(snap); }
  }

  read(pid: number): WindowsProcess {
    const k = kernel32();
    const snap = this.table.get(pid);
    const hosted = this.services.get(pid) ?? [];
    const denied: string[] = [];
    const info: WindowsProcess = {
      ProcessId: pid, ProcessName: snap ? processNameFromImage(snap.exe) : pid === 4 ? 'System' : '', ExecutablePath: null, CommandLine: null,
      ParentProcessId: snap ? snap.parent : null, ProcessStartTime: null, UserName: null, UserId: null,
      ServiceName: hosted.length ? hosted.join(', ') : null, IsService: hosted.length > 0, Modules: null, ExecutableSha256: null,
      HostedServices: hosted, SessionId: null, Denied: denied,
    };
    const session = Buffer.alloc(4);
    if (k.ProcessIdToSessionId(pid, session)) info.SessionId = session.readUInt32LE(0);
    const h = k.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
    if (invalidHandle(h)) { denied.push(`OpenProcess (error ${k.GetLastError()})`); return info; }
    try {
      const path = wide(32768), size = Buffer.alloc(4);
      size.writeUInt32LE(32768);
      if (k.QueryFullProcessImageNameW(h, 0, path, size)) {
        info.ExecutablePath = path.toString('utf16le', 0, size.readUInt32LE(0) * 2);
        if (!info.ProcessName) info.ProcessName = processNameFromImage(info.ExecutablePath);
      } else denied.push('QueryFullProcessImageNameW');
      const created = Buffer.alloc(8), x = Buffer.alloc(8);
      if (k.GetProcessTimes(h, created, x, Buffer.alloc(8), Buffer.alloc(8))) info.ProcessStartTime = fileTimeToIso(created.readBigUInt64LE(0));
      const user = this.accounts.processUser(h);
      if (user.sid) { info.UserId = user.sid; info.UserName = user.name; } else denied.push('OpenProcessToken');
      info.CommandLine = this.commandLine(h, pid);
      if (info.CommandLine === null) denied.push('NtQueryInformationProcess(ProcessCommandLineInformation)');
    } finally { k.CloseHandle(h); }
    return info;
  }

  /** The command line: class 60 (Windows 8.1 and later), else read from the PEB; null when neither works. */
  private commandLine(h: unknown, pid: number): string | null {
    const nt = NtQueryInformationProcess();
    if (!nt) return null;
    const len = Buffer.alloc(4);
    nt(h, ProcessCommandLineInformation, null, 0, len);
    const need = len.readUInt32LE(0);
    if (need > 0 && need <= 70_000) {
      const buf = Buffer.alloc(need);
      if (nt(h, ProcessCommandLineInformation, buf, need, len) === 0) return decodeCommandLine(buf, koffi.address(buf));
    }
    return this.commandLineFromPeb(pid);
  }

  /** PEB -> ProcessParameters -> CommandLine, read with ReadProcessMemory (lengths clamped, peb.ts). */
  private commandLineFromPeb(pid: number): string | null {
    const k = kernel32();
    const nt = NtQueryInformationProcess()!;
    const h = k.OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, 0, pid);
    if (invalidHandle(h)) return null;
    try {
      const read = (address: bigint, size: number): Buffer | null => {
        const b = Buffer.alloc(size), got = Buffer.alloc(8);
        return address !== 0n && k.ReadProcessMemory(h, address, b, size, got) ? b.subarray(0, Number(got.readBigUInt64LE(0))) : null;
      };
      const basic = Buffer.alloc(PROCESS_BASIC_INFORMATION_SIZE);
      if (nt(h, ProcessBasicInformation, basic, basic.length, Buffer.alloc(4)) !== 0) return null;
      const peb = read(pebAddress(basic), PEB_PROCESS_PARAMETERS + 8);
      const params = peb ? read(pointerAt(peb, PEB_PROCESS_PARAMETERS), PARAMETERS_COMMAND_LINE + 16) : null;
      const str = params ? unicodeStringAt(params, PARAMETERS_COMMAND_LINE) : null;
      if (!str) return null;
      if (str.bytes === 0) return '';
      const text = read(str.address, str.bytes);
      return text ? text.toString('utf16le', 0, text.length - (text.length % 2)) : null;
    } finally { k.CloseHandle(h); }
  }

  /** Loaded modules (EnumProcessModulesEx + GetModuleFileNameExW); null when the process cannot be read. */
  modules(pid: number): string[] | null {
    const k = kernel32();
    const h = k.OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, 0, pid);
    if (invalidHandle(h)) return null;
    try {
      const p = psapi();
      const needed = Buffer.alloc(4);
      let list = Buffer.alloc(8 * 1024);
      for (let i = 0; i < 4; i++) {
        if (!p.EnumProcessModulesEx(h, list, list.length, needed, LIST_MODULES_ALL)) return null;
        if (needed.readUInt32LE(0) <= list.length) break;
        list = Buffer.alloc(needed.readUInt32LE(0) + 1024);
      }
      const n = Math.min(needed.readUInt32LE(0), list.length) / 8;
      const out: string[] = [];
      const name = wide(32768);
      for (let i = 0; i < n; i++) {
        const m = list.readBigUInt64LE(i * 8);
        const len = p.GetModuleFileNameExW(h, m, name, 32768);
        if (len > 0) out.push(name.toString('utf16le', 0, len * 2));
      }
      return [...new Set(out)];
    } finally { k.CloseHandle(h); }
  }

  hash(path: string): string | null {
    return this.hashes.hash(path);
  }
}
