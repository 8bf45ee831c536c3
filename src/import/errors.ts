/** Import errors with stable codes and the file, line and field they concern (csv-parse style). */
export class ImportError extends Error {
  constructor(readonly code: string, readonly file: string, readonly line: number | null, readonly field: string | null, readonly reason: string) {
    super(`${file}${line !== null ? `:${line}` : ''}${field ? `: ${field}` : ''}: ${reason}`);
  }
}
