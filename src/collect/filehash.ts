/** Executable SHA-256, for every collector: one cache keyed by file identity (device, inode, size, mtime). */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';

export class FileHashCache {
  private hashes = new Map<string, string>();

  /** SHA-256 (lower-case hex) of the file behind a path; null when it cannot be read. */
  hash(path: string): string | null {
    let key: string;
    try {
      const st = statSync(path, { bigint: true });
      key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch { return null; }
    const hit = this.hashes.get(key);
    if (hit) return hit;
    try {
      const h = createHash('sha256');
      const fd = openSync(path, 'r');
      try {
        const chunk = Buffer.allocUnsafe(1 << 20);
        for (;;) {
          const n = readSync(fd, chunk, 0, chunk.length, null);
          if (n <= 0) break;
          h.update(chunk.subarray(0, n));
        }
      } finally { closeSync(fd); }
      const digest = h.digest('hex');
      this.hashes.set(key, digest);
      return digest;
    } catch { return null; }
  }
}
