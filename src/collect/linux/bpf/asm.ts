/**
 * A small eBPF assembler: the instructions PortReport's programs use, encoded as the kernel's
 * `struct bpf_insn` (8 bytes: opcode, dst:4|src:4 registers, 16-bit offset, 32-bit immediate;
 * a 64-bit load takes two). Programs are written here and assembled at run time, so users'
 * machines need no compiler. Jumps name labels; assemble() resolves them.
 */

export type Reg = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export type Size = 'b' | 'h' | 'w' | 'dw';

const SIZE: Record<Size, number> = { w: 0x00, h: 0x08, b: 0x10, dw: 0x18 };
const BPF_PSEUDO_MAP_FD = 1;

interface Insn { op: number; dst: Reg; src: number; off: number; imm: number; jump?: string; wide?: boolean }
type Item = Insn | { label: string };

export class Asm {
  private items: Item[] = [];

  private push(op: number, dst: Reg, src: number, off: number, imm: number, jump?: string): this {
    this.items.push({ op, dst, src, off, imm, jump });
    return this;
  }

  label(name: string): this { this.items.push({ label: name }); return this; }
  /** dst = imm (64-bit register). */
  movImm(dst: Reg, imm: number): this { return this.push(0xb7, dst, 0, 0, imm); }
  /** dst = src. */
  mov(dst: Reg, src: Reg): this { return this.push(0xbf, dst, src, 0, 0); }
  /** dst += imm. */
  addImm(dst: Reg, imm: number): this { return this.push(0x07, dst, 0, 0, imm); }
  /** dst = *(size *)(src + off). */
  load(size: Size, dst: Reg, src: Reg, off: number): this { return this.push(0x61 | SIZE[size], dst, src, off, 0); }
  /** *(size *)(dst + off) = src. */
  store(size: Size, dst: Reg, off: number, src: Reg): this { return this.push(0x63 | SIZE[size], dst, src, off, 0); }
  /** *(size *)(dst + off) = imm. */
  storeImm(size: Size, dst: Reg, off: number, imm: number): this { return this.push(0x62 | SIZE[size], dst, 0, off, imm); }
  /** Atomic *(u64 *)(dst + off) += src. */
  atomicAdd(dst: Reg, off: number, src: Reg): this { return this.push(0xdb, dst, src, off, 0); }
  /** dst = the map whose fd is given (a 64-bit pseudo load the kernel turns into the map's address). */
  loadMap(dst: Reg, mapFd: number): this {
    this.items.push({ op: 0x18, dst, src: BPF_PSEUDO_MAP_FD, off: 0, imm: mapFd, wide: true });
    return this;
  }
  /** Call a kernel helper by its number (bpf.h's __BPF_FUNC_MAPPER order). */
  call(helper: number): this { return this.push(0x85, 0, 0, 0, helper); }
  /** if (dst == imm) goto label. */
  jeqImm(dst: Reg, imm: number, label: string): this { return this.push(0x15, dst, 0, 0, imm, label); }
  /** if (dst != imm) goto label. */
  jneImm(dst: Reg, imm: number, label: string): this { return this.push(0x55, dst, 0, 0, imm, label); }
  ja(label: string): this { return this.push(0x05, 0, 0, 0, 0, label); }
  exit(): this { return this.push(0x95, 0, 0, 0, 0); }

  /** The program as the kernel takes it. */
  assemble(): Buffer {
    const at = new Map<string, number>();
    let n = 0;
    for (const it of this.items) {
      if ('label' in it) {
        if (at.has(it.label)) throw new Error(`eBPF label ${it.label} defined twice`);
        at.set(it.label, n);
      } else n += it.wide ? 2 : 1;
    }
    const out = Buffer.alloc(n * 8);
    let i = 0;
    for (const it of this.items) {
      if ('label' in it) continue;
      let off = it.off;
      if (it.jump !== undefined) {
        const target = at.get(it.jump);
        if (target === undefined) throw new Error(`eBPF label ${it.jump} is not defined`);
        off = target - (i + 1);
      }
      out.writeUInt8(it.op, i * 8);
      out.writeUInt8((it.src << 4) | it.dst, i * 8 + 1);
      out.writeInt16LE(off, i * 8 + 2);
      out.writeInt32LE(it.imm, i * 8 + 4);
      i += it.wide ? 2 : 1; // the second half of a 64-bit load is zero (the map fd fits 32 bits)
    }
    return out;
  }
}
