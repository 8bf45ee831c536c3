/**
 * The log folder as the log streams use it, one implementation per platform: Linux's LogDir
 * (logdir.ts: openat from a held descriptor, O_NOFOLLOW, flock) and Windows' (windows/logdir.ts:
 * no reparse point in the path, an owner-only DACL, an exclusive lock file). Files are numbers
 * Node's fs reads and writes; failures are -errno (EEXIST is -17 on both).
 */
export interface LogFolder {
  readonly path: string;
  /** Hold the folder for this process's life (one logger a folder); throws PR_LOG_LOCKED naming the holder. */
  lock(): void;
  /** Names in the folder. */
  list(): string[];
  /** Create a new file for appending, owner-only: never an existing one, never through a link. fd or -errno. */
  create(name: string): number;
  /** Open an existing regular file, never through a link. fd or -errno. */
  openRead(name: string): number;
  openReadWrite(name: string): number;
  /** Open `name` when it is provably a logger's own file starting with `marker` (or empty, when allowed); fd or -1. */
  openOwn(name: string, marker: Buffer, allowEmpty?: boolean): number;
  rename(from: string, to: string): boolean;
  unlink(name: string): boolean;
  close(): void;
}
