/**
 * The connect-time program: attached to the cgroup v2 root's sock_addr hooks (TCP/UDP connect,
 * UDP sendmsg, bind; IPv4 and IPv6), it runs in the calling process's context and records, once
 * per socket, who acted on it: socket cookie (the key sock_diag's dumps and destroy events also
 * carry), pid and thread, uid and gid, command name, network-namespace cookie, monotonic time.
 * It never changes the outcome: every path returns 1 (allow).
 *
 * Maps: `seen` (LRU hash, cookie -> u32) so a socket is reported once however many datagrams it
 * sends; `events` (ring buffer) to the logger; `lost` (array, one u64) counts records the ring
 * buffer had no room for (that socket is reported again at its next call).
 */
import { Asm } from './asm.js';

/** Helper numbers (include/uapi/linux/bpf.h). */
const H = {
  mapLookup: 1, mapUpdate: 2, ktimeGetNs: 5, pidTgid: 14, uidGid: 15, comm: 16,
  socketCookie: 46, netnsCookie: 122, ringbufReserve: 131, ringbufSubmit: 132,
} as const;

/** The record the program writes, little-endian. */
export const RECORD = {
  size: 64,
  cookie: 0, pidTgid: 8, uidGid: 16, comm: 24, commLen: 16, netns: 40, ktimeNs: 48, hook: 56, protocol: 60,
} as const;

/** Which hook saw the socket first (the record's `hook`). */
export const HOOKS = ['connect4', 'connect6', 'sendmsg4', 'sendmsg6', 'bind4', 'bind6'] as const;
export type Hook = (typeof HOOKS)[number];

/** struct bpf_sock_addr: the protocol field's offset. */
const CTX_PROTOCOL = 36;

export interface MapFds { seen: number; events: number; lost: number }

export function connectProgram(maps: MapFds, hook: Hook): Buffer {
  const a = new Asm();
  a.mov(6, 1) // r6 = ctx
    .call(H.socketCookie)
    .store('dw', 10, -8, 0) // key = cookie on the stack
    .loadMap(1, maps.seen).mov(2, 10).addImm(2, -8).call(H.mapLookup)
    .jneImm(0, 0, 'allow') // reported already
    .loadMap(1, maps.events).movImm(2, RECORD.size).movImm(3, 0).call(H.ringbufReserve)
    .jeqImm(0, 0, 'lost')
    .mov(7, 0) // r7 = the record
    .load('dw', 1, 10, -8).store('dw', 7, RECORD.cookie, 1)
    .call(H.pidTgid).store('dw', 7, RECORD.pidTgid, 0)
    .call(H.uidGid).store('dw', 7, RECORD.uidGid, 0)
    .mov(1, 7).addImm(1, RECORD.comm).movImm(2, RECORD.commLen).call(H.comm)
    .mov(1, 6).call(H.netnsCookie).store('dw', 7, RECORD.netns, 0)
    .call(H.ktimeGetNs).store('dw', 7, RECORD.ktimeNs, 0)
    .storeImm('w', 7, RECORD.hook, HOOKS.indexOf(hook))
    .load('w', 1, 6, CTX_PROTOCOL).store('w', 7, RECORD.protocol, 1)
    .mov(1, 7).movImm(2, 0).call(H.ringbufSubmit)
    // Marked seen only once its record is out.
    .storeImm('w', 10, -16, 1)
    .loadMap(1, maps.seen).mov(2, 10).addImm(2, -8).mov(3, 10).addImm(3, -16).movImm(4, 0).call(H.mapUpdate)
    .label('allow')
    .movImm(0, 1)
    .exit()
    .label('lost')
    .storeImm('w', 10, -20, 0)
    .loadMap(1, maps.lost).mov(2, 10).addImm(2, -20).call(H.mapLookup)
    .jeqImm(0, 0, 'allow')
    .movImm(1, 1).atomicAdd(0, 0, 1)
    .ja('allow');
  return a.assemble();
}
