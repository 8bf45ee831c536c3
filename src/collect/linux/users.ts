/** uid → user name through the passwd database (getpwuid_r, so NSS sources count), cached. */
import { readFileSync } from 'node:fs';
import { libc } from '../../../native/linux/libc.js';
import { parsePasswd } from './procparse.js';

export class UserResolver {
  private cache = new Map<number, string | null>();
  private fallback: Map<number, string> | null = null;
  private buf = Buffer.alloc(16384);

  name(uid: number): string | null {
    const hit = this.cache.get(uid);
    if (hit !== undefined) return hit;
    const name = this.lookup(uid);
    this.cache.set(uid, name);
    return name;
  }

  private lookup(uid: number): string | null {
    try {
      const pwd: Record<string, unknown> = {};
      const result: unknown[] = [null];
      const rc = libc().getpwuid_r(uid, pwd, this.buf, this.buf.length, result);
      if (rc === 0 && result[0] !== null && typeof pwd.pw_name === 'string') return pwd.pw_name;
      if (rc === 0) return null;
    } catch {
      // no libc through koffi: read the file instead
    }
    this.fallback ??= (() => {
      try { return parsePasswd(readFileSync('/etc/passwd', 'utf8')); } catch { return new Map(); }
    })();
    return this.fallback.get(uid) ?? null;
  }
}

