/**
 * The sidecar widens its stdout to 1 MiB when stdout is a pipe (src/cli/pipe.ts): seen from the
 * reader's end of a real pipe(2), as .NET and shells give, after a real `portreport snapshot`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIDECAR } from '../helpers/procs.js';
import { C, libc } from '../../native/linux/libc.js';

// A snapshot of pid 1's sockets: a few lines at most, so the unread pipe never fills.
const ARGS = [SIDECAR, 'snapshot', '--pid', '1', '--format', 'ndjson'];

describe.runIf(process.platform === 'linux')('a larger pipe under stdout', () => {
  it('widens stdout to 1 MiB when it is a pipe', () => {
    const fds = Buffer.alloc(8);
    expect(libc().pipe2(fds, C.O_CLOEXEC)).toBe(0);
    const [rfd, wfd] = [fds.readInt32LE(0), fds.readInt32LE(4)];
    try {
      expect(libc().fcntl(rfd, C.F_GETPIPE_SZ, 0)).toBe(65536);
      const r = spawnSync(process.execPath, ARGS, { stdio: ['ignore', wfd, 'pipe'] });
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(libc().fcntl(rfd, C.F_GETPIPE_SZ, 0)).toBe(1 << 20);
    } finally {
      closeSync(rfd);
      closeSync(wfd);
    }
  });

  it("works as before on a socket pair (Node's own 'pipe' stdio) and on a file", () => {
    const viaSocket = spawnSync(process.execPath, ARGS, { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(viaSocket.status, viaSocket.stderr.toString()).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'portreport-pipe-'));
    const file = join(dir, 'out');
    const fd = openSync(file, 'w');
    try {
      const r = spawnSync(process.execPath, ARGS, { stdio: ['ignore', fd, 'pipe'] });
      expect(r.status, r.stderr.toString()).toBe(0);
      // The same records (their ObservedAt differs between the two runs).
      const lines = (b: Buffer) => b.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l).LocalPort).sort();
      expect(lines(readFileSync(file))).toEqual(lines(viaSocket.stdout));
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
