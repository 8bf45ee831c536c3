/**
 * Who a process runs as: its token's user SID, as text (S-1-5-18) and as an account name
 * (NT AUTHORITY\SYSTEM), names cached by SID. The SID decoder is pure (tests feed bytes).
 */
import koffi from 'koffi';
import { advapi32, TOKEN_QUERY, TokenUser } from '../../../native/windows/advapi32.js';
import { kernel32 } from '../../../native/windows/kernel32.js';
import { wide } from '../../../native/windows/system.js';

/** A SID (Revision, SubAuthorityCount, IdentifierAuthority[6] big-endian, SubAuthority[n] little-endian) as S-R-A-S1-...; null when malformed. */
export function sidToString(b: Buffer, at = 0): string | null {
  if (b.length < at + 8) return null;
  const rev = b[at];
  const n = b[at + 1];
  if (rev !== 1 || n > 15 || b.length < at + 8 + n * 4) return null;
  const auth = b.readUIntBE(at + 2, 6);
  const subs: number[] = [];
  for (let i = 0; i < n; i++) subs.push(b.readUInt32LE(at + 8 + i * 4));
  return [`S-${rev}-${auth}`, ...subs].join('-');
}

/** The byte length of the SID at `at`. */
export const sidLength = (b: Buffer, at = 0) => 8 + b[at + 1] * 4;

export class AccountResolver {
  private names = new Map<string, string | null>();

  /** The token user of an open process: SID text and DOMAIN\name (null where not readable). */
  processUser(process: unknown): { sid: string | null; name: string | null } {
    const a = advapi32();
    const tokenOut = Buffer.alloc(8);
    if (!a.OpenProcessToken(process, TOKEN_QUERY, tokenOut)) return { sid: null, name: null };
    const token = koffi.decode(tokenOut, 'void *');
    try {
      const len = Buffer.alloc(4);
      a.GetTokenInformation(token, TokenUser, null, 0, len);
      const need = len.readUInt32LE(0);
      if (need === 0 || need > 1024) return { sid: null, name: null };
      const info = Buffer.alloc(need);
      if (!a.GetTokenInformation(token, TokenUser, info, need, len)) return { sid: null, name: null };
      // TOKEN_USER { SID_AND_ATTRIBUTES User { PSID Sid; DWORD Attributes; } }: the SID lies in the same buffer.
      const at = Number(info.readBigUInt64LE(0) - koffi.address(info));
      if (at < 16 || at + 8 > info.length) return { sid: null, name: null };
      const sidBuf = Buffer.from(info.subarray(at, at + Math.min(sidLength(info, at), info.length - at)));
      const sid = sidToString(sidBuf);
      return { sid, name: sid ? this.accountName(sid, sidBuf) : null };
    } finally {
      kernel32().CloseHandle(token);
    }
  }

  private accountName(sid: string, sidBuf: Buffer): string | null {
    if (this.names.has(sid)) return this.names.get(sid)!;
    const name = wide(256), domain = wide(256);
    const nameLen = Buffer.alloc(4), domainLen = Buffer.alloc(4), use = Buffer.alloc(4);
    nameLen.writeUInt32LE(256); domainLen.writeUInt32LE(256);
    let text: string | null = null;
    if (advapi32().LookupAccountSidW(null, sidBuf, name, nameLen, domain, domainLen, use)) {
      const n = name.toString('utf16le', 0, nameLen.readUInt32LE(0) * 2);
      const d = domain.toString('utf16le', 0, domainLen.readUInt32LE(0) * 2);
      text = d ? `${d}\\${n}` : n;
    }
    this.names.set(sid, text);
    return text;
  }
}
