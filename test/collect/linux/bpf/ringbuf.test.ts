/** The ring buffer consumer over pages laid out by hand as kernel/bpf/ringbuf.c writes them. */
import { describe, expect, it } from 'vitest';
import { RingReader } from '../../../../src/collect/linux/bpf/ringbuf.js';

const PAGE = 64;
const SIZE = 64;

/** A consumer page and a producer page + the data area twice (as the kernel maps it). */
function ring() {
  const consumer = new ArrayBuffer(8);
  const producer = new ArrayBuffer(PAGE + 2 * SIZE);
  const p = new DataView(producer);
  let pos = 0;
  const put = (sample: number[], flags = 0) => {
    const rec = Buffer.alloc(8 + sample.length);
    rec.writeUInt32LE((sample.length | flags) >>> 0, 0);
    Buffer.from(sample).copy(rec, 8);
    for (let i = 0; i < rec.length; i++) {
      const at = (pos + i) & (SIZE - 1);
      p.setUint8(PAGE + at, rec[i]);
      p.setUint8(PAGE + SIZE + at, rec[i]); // the second mapping of the same pages
    }
    pos += (rec.length + 7) & ~7;
    p.setBigUint64(0, BigInt(pos), true);
  };
  const reader = new RingReader(consumer, producer, PAGE, SIZE);
  const read = () => { const out: number[][] = []; reader.read((d) => out.push([...new Uint8Array(d.buffer, d.byteOffset, d.byteLength)])); return out; };
  return { put, read, reader, consumed: () => Number(new DataView(consumer).getBigUint64(0, true)) };
}

describe('ring buffer consumer', () => {
  it('reads committed records in order, skips discarded ones and releases both', () => {
    const r = ring();
    r.put([1, 2, 3]);
    r.put([9], 0x40000000); // DISCARD
    r.put([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.reader.pending()).toBe(16 + 16 + 24);
    expect(r.read()).toEqual([[1, 2, 3], [4, 5, 6, 7, 8, 9, 10, 11, 12]]);
    expect(r.consumed()).toBe(56);
    expect(r.reader.pending()).toBe(0);
    expect(r.read()).toEqual([]);
  });

  it('stops at a record still being written and takes it up next time', () => {
    const r = ring();
    r.put([1]);
    r.put([2], 0x80000000); // BUSY: reserved, not submitted
    expect(r.read()).toEqual([[1]]);
    expect(r.consumed()).toBe(16);
    // Submitted: the kernel clears BUSY in the header.
    r.put([]); // advance the producer past another record, then clear the busy bit of the second
    const hdr = new DataView((r.reader as unknown as { prod: DataView }).prod.buffer);
    hdr.setUint32(PAGE + 16, 1, true);
    hdr.setUint32(PAGE + SIZE + 16, 1, true);
    expect(r.read()).toEqual([[2], []]);
  });

  it('reads a record that runs past the end of the area through the second mapping', () => {
    const r = ring();
    r.put(Array(40).fill(0)); // 48 bytes
    expect(r.read().length).toBe(1);
    r.put([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]); // from 48 to 80: wraps
    expect(r.read()).toEqual([Array(24).fill(7)]);
    expect(r.consumed()).toBe(80);
  });

  it('refuses a data area that is not a power of two', () => {
    expect(() => new RingReader(new ArrayBuffer(8), new ArrayBuffer(200), 8, 96)).toThrow(/power of two/);
  });
});
