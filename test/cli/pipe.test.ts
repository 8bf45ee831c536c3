import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIDECAR } from '../helpers/procs.js';
import { C, libc } from '../../native/linux/libc.js';

const PIPE_JS = pathToFileURL(join(SIDECAR, '..', 'pipe.js')).href;
// The kernel's answer to F_SETPIPE_SZ (the size it set), written to stderr.
const probe = `import { widenStdoutPipe } from '${PIPE_JS}'; process.stderr.write(String(widenStdoutPipe()));`;

describe.runIf(process.platform === 'linux')('a larger pipe under stdout', () => {
  it('widens stdout to 1 MiB when it is a pipe, as .NET and shells give', () => {
    const fds = Buffer.alloc(8);
    expect(libc().pipe2(fds, C.O_CLOEXEC)).toBe(0);
    const [rfd, wfd] = [fds.readInt32LE(0), fds.readInt32LE(4)];
    try {
      expect(libc().fcntl(wfd, C.F_GETPIPE_SZ, 0)).toBe(65536);
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { stdio: ['ignore', wfd, 'pipe'] });
      expect(r.stderr.toString()).toBe(String(1 << 20));
      expect(libc().fcntl(rfd, C.F_GETPIPE_SZ, 0)).toBe(1 << 20);
    } finally {
      closeSync(rfd);
      closeSync(wfd);
    }
  });

  it("leaves a socket pair alone (Node's own 'pipe' stdio)", () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.stderr.toString()).toBe('0');
  });

  it('leaves stdout alone when it is a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portreport-pipe-'));
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { stdio: ['ignore', fd, 'pipe'] });
      expect(r.stderr.toString()).toBe('0');
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
