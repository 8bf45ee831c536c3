/** The eBPF assembler against encodings written out by hand from the kernel's struct bpf_insn. */
import { describe, expect, it } from 'vitest';
import { Asm } from '../../../../src/collect/linux/bpf/asm.js';
import { connectProgram } from '../../../../src/collect/linux/bpf/program.js';

const hex = (b: Buffer) => b.toString('hex').match(/.{16}/g)!;

describe('eBPF assembler', () => {
  it('encodes each instruction as bpf.h lays it out', () => {
    const a = new Asm()
      .mov(6, 1) //                 BPF_ALU64|BPF_MOV|BPF_X, dst 6, src 1
      .movImm(0, 1) //              BPF_ALU64|BPF_MOV|BPF_K
      .addImm(2, -8) //             BPF_ALU64|BPF_ADD|BPF_K, imm -8
      .load('dw', 1, 10, -8) //     BPF_LDX|BPF_MEM|BPF_DW, off -8
      .store('w', 7, 60, 1) //      BPF_STX|BPF_MEM|BPF_W
      .storeImm('w', 10, -16, 1) // BPF_ST|BPF_MEM|BPF_W
      .atomicAdd(0, 0, 1) //        BPF_STX|BPF_ATOMIC|BPF_DW, imm BPF_ADD
      .call(46)
      .exit();
    expect(hex(a.assemble())).toEqual([
      'bf16000000000000', 'b700000001000000', '07020000f8ffffff', '79a1f8ff00000000', '63173c0000000000',
      '620af0ff01000000', 'db10000000000000', '850000002e000000', '9500000000000000',
    ]);
  });

  it('loads a map by fd in two slots and resolves jumps over them', () => {
    const b = new Asm().jeqImm(0, 0, 'end').loadMap(1, 7).jneImm(0, 0, 'end').ja('end').label('end').exit().assemble();
    expect(hex(b)).toEqual([
      '1500040000000000', // skip the 2-slot load, the jne and the ja
      '1811000007000000', '0000000000000000', // src = BPF_PSEUDO_MAP_FD
      '5500010000000000', '0500000000000000', '9500000000000000',
    ]);
  });

  it('refuses an undefined or repeated label', () => {
    expect(() => new Asm().ja('nowhere').assemble()).toThrow(/nowhere is not defined/);
    expect(() => new Asm().label('x').label('x').assemble()).toThrow(/defined twice/);
  });

  it('the connect-time program allows every call: its one exit follows r0 = 1, and no jump loops', () => {
    const insns = hex(connectProgram({ seen: 3, events: 4, lost: 5 }, 'connect4'));
    const exits = insns.flatMap((x, i) => (x === '9500000000000000' ? [i] : []));
    expect(exits.length).toBe(1);
    expect(insns[exits[0] - 1]).toBe('b700000001000000');
    for (const [i, x] of insns.entries()) {
      const op = parseInt(x.slice(0, 2), 16);
      if ((op & 0x07) !== 0x05 || op === 0x85 || op === 0x95) continue; // jumps only
      const target = i + 1 + Buffer.from(x, 'hex').readInt16LE(2);
      expect(target, `jump at ${i}`).toBeLessThan(insns.length);
      // The one backward jump (the "lost" path's) goes to r0 = 1; exit: no loop.
      if (target <= i) expect(target, `jump at ${i}`).toBe(exits[0] - 1);
    }
  });
});
