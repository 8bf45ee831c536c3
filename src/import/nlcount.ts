/**
 * Counting newlines at memory speed, for LineLocator: a loop of Buffer.indexOf costs a call a
 * line (a third of a DuckDB scan's time). This is a WebAssembly function, assembled here from its
 * bytes (no compiler anywhere): eight bytes a step, each byte equal to '\n' found without branches
 * ((x & 0x7f..) + 0x7f.. | x has the top bit clear exactly in the zero bytes of x = word ^ 0x0a..)
 * and counted with popcnt. Files are read straight into its memory (two 4 MiB regions, one
 * LineLocator at a time: the importer reads its files one after the other).
 */
export const REGION = 4 << 20;

const sleb = (v: bigint): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const uleb = (v: number): number[] => { const out: number[] = []; do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; out.push(b); } while (v); return out; };
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

// Opcodes (WebAssembly core 1.0).
const I64 = 0x7e, I32 = 0x7f;
const [GET, SET] = [0x20, 0x21];
const code = [
  2, 1, I32, 1, I64, // locals: $c i32 (2), $x i64 (3)
  0x02, 0x40, 0x03, 0x40, // block, loop
  GET, 0, GET, 1, 0x4f, 0x0d, 1, // br_if 1 (p >= end)
  GET, 0, 0x29, 0, 0, 0x42, ...sleb(0x0a0a0a0a0a0a0a0an), 0x85, SET, 3, // x = load64(p) ^ 0x0a..
  GET, 3, 0x42, ...sleb(0x7f7f7f7f7f7f7f7fn), 0x83, 0x42, ...sleb(0x7f7f7f7f7f7f7f7fn), 0x7c, GET, 3, 0x84, // ((x & m) + m) | x
  0x42, ...sleb(-1n), 0x85, 0x42, ...sleb(-0x7f7f7f7f7f7f7f80n), 0x83, 0x7b, 0xa7, // ~t & 0x80.., popcnt, wrap
  GET, 2, 0x6a, SET, 2, // c += ...
  GET, 0, 0x41, 8, 0x6a, SET, 0, // p += 8
  0x0c, 0, 0x0b, 0x0b, // br 0, end loop, end block
  GET, 2, 0x0b,
];
const pages = Math.ceil((2 * REGION + 64) / 65536);
const bytes = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, vec([[0x60, 2, I32, I32, 1, I32]])), // type: (i32, i32) -> i32
  ...section(3, vec([[0]])), // function 0 has type 0
  ...section(5, vec([[0, ...uleb(pages)]])), // memory: `pages` pages
  ...section(7, vec([[...name('count'), 0, 0], [...name('mem'), 2, 0]])),
  ...section(10, vec([[...uleb(code.length), ...code]])),
]);

let instance: { count: (p: number, end: number) => number; mem: WebAssembly.Memory } | null = null;
function wasm() {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as typeof instance;
  return instance!;
}

/** Region i (0 or 1) of the counter's memory, to read a file into. */
export function region(i: 0 | 1): Buffer {
  return Buffer.from(wasm().mem.buffer, i * (REGION + 32), REGION + 8);
}

/** Newlines in buf[from, to), where buf is a view into one of the regions. */
export function countNewlines(buf: Buffer, from: number, to: number): number {
  const w = wasm();
  const base = buf.byteOffset;
  const whole = from + ((to - from) & ~7);
  let n = whole > from ? w.count(base + from, base + whole) : 0;
  for (let i = whole; i < to; i++) if (buf[i] === 0x0a) n++;
  return n;
}
