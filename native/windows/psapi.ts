/** psapi.dll: a process's loaded modules. Win32 names exact. */
import { systemLibrary } from './system.js';

export const LIST_MODULES_ALL = 0x03;

export interface Psapi {
  EnumProcessModulesEx(process: unknown, modules: Buffer, cb: number, needed: Buffer, filter: number): number;
  GetModuleFileNameExW(process: unknown, module: unknown, name: Buffer, size: number): number;
}

let cached: Psapi | undefined;

export function psapi(): Psapi {
  if (cached) return cached;
  const lib = systemLibrary('psapi.dll');
  cached = {
    EnumProcessModulesEx: lib.func('int __stdcall EnumProcessModulesEx(void *hProcess, void *lphModule, uint32_t cb, void *lpcbNeeded, uint32_t dwFilterFlag)'),
    GetModuleFileNameExW: lib.func('uint32_t __stdcall GetModuleFileNameExW(void *hProcess, uintptr_t hModule, void *lpFilename, uint32_t nSize)'),
  };
  return cached;
}
