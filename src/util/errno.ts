/** Text of an errno for messages (the numbers Linux uses; the Windows folder maps its errors to them). */
export function errnoText(e: number): string {
  const names: Record<number, string> = { 2: 'ENOENT', 13: 'EACCES', 17: 'EEXIST', 20: 'ENOTDIR', 27: 'EFBIG', 28: 'ENOSPC', 30: 'EROFS', 40: 'ELOOP', 122: 'EDQUOT' };
  return names[e] ?? `errno ${e}`;
}

/** A Node fs error as -errno in those numbers (EEXIST -17, ENOSPC -28, ...; -5 EIO for the rest). */
export function negErrno(e: unknown): number {
  const codes: Record<string, number> = { ENOENT: 2, EACCES: 13, EPERM: 13, EEXIST: 17, ENOTDIR: 20, EFBIG: 27, ENOSPC: 28, EROFS: 30, ELOOP: 40, EDQUOT: 122 };
  return -(codes[(e as NodeJS.ErrnoException).code ?? ''] ?? 5);
}
