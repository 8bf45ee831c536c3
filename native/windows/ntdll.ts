/** ntdll.dll: NtQueryInformationProcess, for a process's command line (class 60). */
import { optionalFunction, systemLibrary } from './system.js';

/** PROCESSINFOCLASS ProcessCommandLineInformation (Windows 8.1 and later). */
export const ProcessCommandLineInformation = 60;
export const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004;

type NtQuery = (process: unknown, cls: number, info: Buffer | null, length: number, returned: Buffer) => number;

/** Null when ntdll lacks it. */
export const NtQueryInformationProcess = optionalFunction<NtQuery>(() => systemLibrary('ntdll.dll'),
  'uint32_t __stdcall NtQueryInformationProcess(void *ProcessHandle, int ProcessInformationClass, void *ProcessInformation, uint32_t ProcessInformationLength, void *ReturnLength)');
