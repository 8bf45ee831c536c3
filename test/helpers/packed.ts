/** Test helpers for the packed formats of contract 2. */

const ROW = ['Time', 'Event', 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'PreviousState',
  'OwnerStatus', 'FirstSeen', 'LastSeen', 'DurationSeconds', 'BytesSent', 'BytesReceived', 'Source', 'Message', 'LogLine'];

/** The reference reader of the packed import format: lines back to contract-1 records (docs/import.md). */
export function readPackedLog(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const procs: Record<string, unknown>[] = [];
  let ctx: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (!line) continue;
    const v = JSON.parse(line);
    if (Array.isArray(v)) {
      const { Utf16: _u, ...proc } = procs[v[0] - 1];
      void _u;
      const r: Record<string, unknown> = { RecordType: 'LogRecord', ...proc, ...ctx };
      ROW.forEach((k, i) => { r[k] = v[i + 1]; });
      out.push(r);
    } else if ('Packed' in v) {
      ctx = { LogFormat: v.LogFormat, LogFile: v.LogFile };
    } else if ('RecordType' in v) {
      const { Utf16: _u, ...rest } = v;
      void _u;
      out.push(rest);
    } else procs.push(v);
  }
  return out;
}
