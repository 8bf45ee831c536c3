/**
 * sock_diag (NETLINK_SOCK_DIAG) wire format: building the dump request and parsing the reply.
 * Pure functions over buffers, so tests feed literal bytes. Layouts: linux/inet_diag.h, netlink.h.
 */
import type { AddressFamily, Protocol, RawSocket, SocketState } from '../../model/record.js';
import { kernelState } from '../../model/state.js';

export const SOCK_DIAG_BY_FAMILY = 20;
/** The compatibility request (and its replies) for TCP of every family. */
export const TCPDIAG_GETSOCK = 18;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const INET_DIAG_INFO = 2;
const INET_DIAG_PROTOCOL = 10;
const NLMSG_HDRLEN = 16;
const INET_DIAG_MSG_LEN = 72;
/** tcp_info offsets (linux/tcp.h): bytes_acked at 120, bytes_received at 128 (both u64). */
const TCPI_BYTES_ACKED = 120;
const TCPI_BYTES_RECEIVED = 128;

/**
 * A dump request: SOCK_DIAG_BY_FAMILY for one family; for TCP of both families (family 0) the
 * older TCPDIAG_GETSOCK request, whose dump walks the kernel's established-connections hash once
 * for IPv4 and IPv6 together. That walk costs the same however few sockets there are (a 262,144
 * bucket table here: 3.5 ms), so one walk instead of two halves a quiet host's poll.
 */
export function buildDumpRequest(family: number, protocol: number, seq: number): Buffer {
  const both = family === 0 && protocol === 6;
  const b = Buffer.alloc(NLMSG_HDRLEN + (both ? 60 : 56));
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(both ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY, 4);
  b.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
  b.writeUInt32LE(seq, 8);
  b.writeUInt32LE(0, 12);
  if (both) {
    // struct inet_diag_req: family, src_len, dst_len, ext, inet_diag_sockid (48), states, dbs.
    b.writeUInt8(1 << (INET_DIAG_INFO - 1), 19);
    b.writeUInt32LE(0xffffffff, 68);
    return b;
  }
  b.writeUInt8(family, 16);
  b.writeUInt8(protocol, 17);
  b.writeUInt8(protocol === 6 ? 1 << (INET_DIAG_INFO - 1) : 0, 18); // idiag_ext
  b.writeUInt32LE(0xffffffff, 20); // every state
  return b; // inet_diag_sockid left zero: no filter
}

export class NetlinkError extends Error {
  constructor(readonly errno: number, message: string) {
    super(message);
  }
}

export interface ParseResult {
  sockets: RawSocket[];
  done: boolean;
}

function formatV4(b: Buffer, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** RFC 5952 text form of 16 bytes (compressed zeros, lower case, IPv4-mapped as ::ffff:a.b.c.d). */
export function formatV6(b: Uint8Array, off = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Sockets a caller already knows unchanged: given the cookie (decimal text) and the state, true
 * means "skip it" (no object is built). The logger's polls use it so that steady sockets cost a
 * cookie read, not a parse.
 */
export type SkipKnown = (cookie: string, state: SocketState) => boolean;

/** Parse one recv() worth of netlink messages. Throws NetlinkError on NLMSG_ERROR. */
export function parseDiagMessages(buf: Buffer, len: number, protocol: Protocol, skip?: SkipKnown): ParseResult {
  const sockets: RawSocket[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= len) {
    const msgLen = buf.readUInt32LE(off);
    const type = buf.readUInt16LE(off + 4);
    if (msgLen < NLMSG_HDRLEN || off + msgLen > len) break;
    if (type === NLMSG_DONE) return { sockets, done: true };
    if (type === NLMSG_ERROR) {
      const err = -buf.readInt32LE(off + NLMSG_HDRLEN);
      if (err === 0) return { sockets, done: true };
      throw new NetlinkError(err, `sock_diag dump failed: errno ${err}`);
    }
    if ((type === SOCK_DIAG_BY_FAMILY || type === TCPDIAG_GETSOCK) && msgLen >= NLMSG_HDRLEN + INET_DIAG_MSG_LEN) {
      const p = off + NLMSG_HDRLEN;
      if (!skip || !skip(u64ToString(buf.readUInt32LE(p + 48), buf.readUInt32LE(p + 44)), kernelState(protocol, buf[p + 1]))) {
        sockets.push(parseDiagMsg(buf, p, off + msgLen, protocol));
      }
    }
    off += (msgLen + 3) & ~3;
  }
  return { sockets, done: false };
}

const TWO32 = 4294967296;

/** A u64 as a Number (exact below 2^53, which byte counters do not reach). No BigInt: hot path. */
function readU64(b: Buffer, off: number): number {
  return b.readUInt32LE(off + 4) * TWO32 + b.readUInt32LE(off);
}

/** Exact decimal text of hi:lo; BigInt only when the value is beyond 2^53. */
export function u64ToString(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function parseDiagMsg(b: Buffer, p: number, end: number, protocol: Protocol): RawSocket {
  const fam = b[p];
  const family: AddressFamily = fam === 10 ? 'IPv6' : 'IPv4';
  const v4 = family === 'IPv4';
  const id = p + 4;
  const cookieLo = b.readUInt32LE(id + 40);
  const cookieHi = b.readUInt32LE(id + 44);
  const s: RawSocket = {
    protocol,
    family,
    localAddress: v4 ? formatV4(b, id + 4) : formatV6(b, id + 4),
    localPort: b.readUInt16BE(id),
    remoteAddress: v4 ? formatV4(b, id + 20) : formatV6(b, id + 20),
    remotePort: b.readUInt16BE(id + 2),
    state: kernelState(protocol, b[p + 1]),
    uid: b.readUInt32LE(p + 64),
    inode: b.readUInt32LE(p + 68),
    cookie: u64ToString(cookieHi, cookieLo),
    bytesAcked: null,
    bytesReceived: null,
    source: 'netlink',
  };
  let a = p + INET_DIAG_MSG_LEN;
  while (a + 4 <= end) {
    const alen = b.readUInt16LE(a);
    const atype = b.readUInt16LE(a + 2);
    if (alen < 4) break;
    if (atype === INET_DIAG_PROTOCOL && alen >= 5) {
      // Present in destroy events, whose group may carry TCP and UDP alike.
      const proto = b[a + 4];
      if (proto === 6 || proto === 17) {
        s.protocol = proto === 6 ? 'TCP' : 'UDP';
        s.state = kernelState(s.protocol, b[p + 1]);
      }
    } else if (atype === INET_DIAG_INFO && alen - 4 >= TCPI_BYTES_RECEIVED + 8) {
      s.bytesAcked = readU64(b, a + 4 + TCPI_BYTES_ACKED);
      s.bytesReceived = readU64(b, a + 4 + TCPI_BYTES_RECEIVED);
    }
    a += (alen + 3) & ~3;
  }
  return s;
}
