/** kernel32.dll: processes (open, image path, times), the toolhelp snapshot, handles, errors. Win32 names exact. */
import koffi from 'koffi';
import { kernel32Library } from './system.js';

export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
export const PROCESS_QUERY_INFORMATION = 0x0400;
export const PROCESS_VM_READ = 0x0010;
export const TH32CS_SNAPPROCESS = 0x2;
export const ERROR_INSUFFICIENT_BUFFER = 122;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_MORE_DATA = 234;
export const ERROR_SHARING_VIOLATION = 32;
export const GENERIC_WRITE = 0x40000000;
export const FILE_SHARE_READ = 0x1;
export const OPEN_ALWAYS = 4;
/** Do not follow a reparse point (symlink, junction) at the last component: open the point itself. */
export const FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000;
/** sizeof(PROCESSENTRY32W) on x64: dwSize .. th32ParentProcessID @32, szExeFile[260] @44; 568 with padding. */
export const PROCESSENTRY32W_SIZE = 568;

export interface Kernel32 {
  OpenProcess(access: number, inherit: number, pid: number): unknown;
  CloseHandle(h: unknown): number;
  QueryFullProcessImageNameW(h: unknown, flags: number, buf: Buffer, size: Buffer): number;
  GetProcessTimes(h: unknown, creation: Buffer, exit: Buffer, kernel: Buffer, user: Buffer): number;
  CreateToolhelp32Snapshot(flags: number, pid: number): unknown;
  Process32FirstW(snap: unknown, entry: Buffer): number;
  Process32NextW(snap: unknown, entry: Buffer): number;
  ProcessIdToSessionId(pid: number, session: Buffer): number;
  ReadProcessMemory(process: unknown, address: bigint, buffer: Buffer, size: number, read: Buffer): number;
  CreateFileW(name: Buffer, access: number, share: number, security: null, disposition: number, flags: number, template: null): unknown;
  WriteFile(h: unknown, buf: Buffer, size: number, written: Buffer, overlapped: null): number;
  SetEndOfFile(h: unknown): number;
  GetLastError(): number;
}

let cached: Kernel32 | undefined;

export function kernel32(): Kernel32 {
  if (cached) return cached;
  const lib = kernel32Library();
  cached = {
    OpenProcess: lib.func('void * __stdcall OpenProcess(uint32_t dwDesiredAccess, int bInheritHandle, uint32_t dwProcessId)'),
    CloseHandle: lib.func('int __stdcall CloseHandle(void *hObject)'),
    QueryFullProcessImageNameW: lib.func('int __stdcall QueryFullProcessImageNameW(void *hProcess, uint32_t dwFlags, void *lpExeName, void *lpdwSize)'),
    GetProcessTimes: lib.func('int __stdcall GetProcessTimes(void *hProcess, void *lpCreationTime, void *lpExitTime, void *lpKernelTime, void *lpUserTime)'),
    CreateToolhelp32Snapshot: lib.func('void * __stdcall CreateToolhelp32Snapshot(uint32_t dwFlags, uint32_t th32ProcessID)'),
    Process32FirstW: lib.func('int __stdcall Process32FirstW(void *hSnapshot, void *lppe)'),
    Process32NextW: lib.func('int __stdcall Process32NextW(void *hSnapshot, void *lppe)'),
    ProcessIdToSessionId: lib.func('int __stdcall ProcessIdToSessionId(uint32_t dwProcessId, void *pSessionId)'),
    CreateFileW: lib.func('void * __stdcall CreateFileW(void *lpFileName, uint32_t dwDesiredAccess, uint32_t dwShareMode, void *lpSecurityAttributes, uint32_t dwCreationDisposition, uint32_t dwFlagsAndAttributes, void *hTemplateFile)'),
    WriteFile: lib.func('int __stdcall WriteFile(void *hFile, void *lpBuffer, uint32_t nNumberOfBytesToWrite, void *lpNumberOfBytesWritten, void *lpOverlapped)'),
    SetEndOfFile: lib.func('int __stdcall SetEndOfFile(void *hFile)'),
    ReadProcessMemory: lib.func('int __stdcall ReadProcessMemory(void *hProcess, uintptr_t lpBaseAddress, void *lpBuffer, size_t nSize, void *lpNumberOfBytesRead)'),
    GetLastError: lib.func('uint32_t __stdcall GetLastError()'),
  };
  return cached;
}

/** NULL or INVALID_HANDLE_VALUE (-1): no handle. */
export function invalidHandle(h: unknown): boolean {
  if (h === null || h === undefined) return true;
  const a = koffi.address(h);
  return a === 0n || a === 0xffffffffffffffffn;
}
