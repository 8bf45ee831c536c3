/**
 * Consumer side of a BPF ring buffer (kernel/bpf/ringbuf.c): a consumer page the reader writes
 * (consumer position), then a producer page (producer position) followed by the data area mapped
 * twice in a row, so a record never wraps. Each record: an 8-byte header (length with BUSY and
 * DISCARD bits, page offset), the sample, padding to 8. Pure over ArrayBuffers: tests lay out
 * the pages by hand.
 */

const BUSY = 0x80000000;
const DISCARD = 0x40000000;
const HEADER = 8;

export class RingReader {
  private readonly cons: DataView;
  private readonly prod: DataView;
  private readonly mask: number;

  /**
   * @param consumer the consumer page (read-write)
   * @param producer the producer page then the data area twice (read-only)
   * @param pageSize where the data area starts within `producer`
   * @param size the data area's size (a power of two)
   */
  constructor(consumer: ArrayBuffer, producer: ArrayBuffer, private readonly pageSize: number, size: number) {
    if (size & (size - 1)) throw new Error(`ring buffer size ${size} is not a power of two`);
    this.cons = new DataView(consumer);
    this.prod = new DataView(producer);
    this.mask = size - 1;
  }

  /** Bytes written and not yet read. */
  pending(): number {
    return Number(this.prod.getBigUint64(0, true) - this.cons.getBigUint64(0, true));
  }

  /**
   * Hand every committed record to `each` (a view of its sample) and release them; stops at a
   * record still being written. Returns how many were read.
   */
  read(each: (sample: DataView) => void): number {
    let cons = Number(this.cons.getBigUint64(0, true));
    const prod = Number(this.prod.getBigUint64(0, true));
    let n = 0;
    while (cons < prod) {
      const at = this.pageSize + (cons & this.mask);
      const len = this.prod.getUint32(at, true);
      if (len & BUSY) break;
      const sample = len & 0x3fffffff; // without BUSY and DISCARD
      if (!(len & DISCARD)) {
        each(new DataView(this.prod.buffer, this.prod.byteOffset + at + HEADER, sample));
        n++;
      }
      cons += (sample + HEADER + 7) & ~7;
    }
    this.cons.setBigUint64(0, BigInt(cons), true);
    return n;
  }
}
