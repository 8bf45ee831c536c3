/** Where writers put their output (stdout, a file, a test's array). */
export type Sink = (chunk: string | Buffer) => void;

export type Format = 'ndjson' | 'csv' | 'table';
