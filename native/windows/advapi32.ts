/** advapi32.dll: process tokens and account names, and the service control manager. Win32 names exact. */
import { systemLibrary } from './system.js';

export const TOKEN_QUERY = 0x0008;
/** TOKEN_INFORMATION_CLASS TokenUser. */
export const TokenUser = 1;
export const SC_MANAGER_ENUMERATE_SERVICE = 0x0004;
export const SC_ENUM_PROCESS_INFO = 0;
export const SERVICE_WIN32 = 0x30;
export const SERVICE_ACTIVE = 0x1;
export const SDDL_REVISION_1 = 1;
export const DACL_SECURITY_INFORMATION = 0x4;
export const PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000;

export interface Advapi32 {
  OpenProcessToken(process: unknown, access: number, token: Buffer): number;
  GetTokenInformation(token: unknown, cls: number, info: Buffer | null, length: number, returned: Buffer): number;
  LookupAccountSidW(system: null, sid: Buffer, name: Buffer, nameChars: Buffer, domain: Buffer, domainChars: Buffer, use: Buffer): number;
  OpenSCManagerW(machine: null, database: null, access: number): unknown;
  EnumServicesStatusExW(scm: unknown, level: number, type: number, state: number, buf: Buffer | null, size: number, needed: Buffer, returned: Buffer, resume: Buffer, group: null): number;
  CloseServiceHandle(h: unknown): number;
  ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl: Buffer, revision: number, sd: Buffer, size: null): number;
  SetFileSecurityW(path: Buffer, info: number, sd: unknown): number;
}

let cached: Advapi32 | undefined;

export function advapi32(): Advapi32 {
  if (cached) return cached;
  const lib = systemLibrary('advapi32.dll');
  cached = {
    OpenProcessToken: lib.func('int __stdcall OpenProcessToken(void *ProcessHandle, uint32_t DesiredAccess, void *TokenHandle)'),
    GetTokenInformation: lib.func('int __stdcall GetTokenInformation(void *TokenHandle, int TokenInformationClass, void *TokenInformation, uint32_t TokenInformationLength, void *ReturnLength)'),
    LookupAccountSidW: lib.func('int __stdcall LookupAccountSidW(void *lpSystemName, void *Sid, void *Name, void *cchName, void *ReferencedDomainName, void *cchReferencedDomainName, void *peUse)'),
    OpenSCManagerW: lib.func('void * __stdcall OpenSCManagerW(void *lpMachineName, void *lpDatabaseName, uint32_t dwDesiredAccess)'),
    EnumServicesStatusExW: lib.func('int __stdcall EnumServicesStatusExW(void *hSCManager, int InfoLevel, uint32_t dwServiceType, uint32_t dwServiceState, void *lpServices, uint32_t cbBufSize, void *pcbBytesNeeded, void *lpServicesReturned, void *lpResumeHandle, void *pszGroupName)'),
    CloseServiceHandle: lib.func('int __stdcall CloseServiceHandle(void *hSCObject)'),
    ConvertStringSecurityDescriptorToSecurityDescriptorW: lib.func('int __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(void *StringSecurityDescriptor, uint32_t StringSDRevision, void *SecurityDescriptor, void *SecurityDescriptorSize)'),
    SetFileSecurityW: lib.func('int __stdcall SetFileSecurityW(void *lpFileName, uint32_t SecurityInformation, void *pSecurityDescriptor)'),
  };
  return cached;
}
