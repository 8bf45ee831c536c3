/**
 * PortReport's own logs (docs/logs.md, version 1) back into records, exactly: text cells lose the
 * one formula-guard quote, raw bytes come back as the same escapes the collector produced.
 * A row-to-record core (rowToRecord) and a streaming adapter over csv-parse (readOurLog).
 */
import { FastCsvReader } from './fastcsv.js';
import type { Readable } from 'node:stream';
import { decodeBytes } from '../util/bytes.js';
import { unguardFormula } from '../util/display.js';
import { CONN_TEXT, PROC_TEXT } from '../watch/logformat.js';
import { CONNECTION_COLUMNS } from '../output/columns.js';
import { ImportError } from './errors.js';
import { emptyLogRecord, emptyProcessRecord, type ImportedRecord, type LogRecord } from './records.js';

export type OurKind = 'connections' | 'processes' | 'initial';
export const OUR_FORMAT = 'PortReport/1';

/** Which of our logs a header row belongs to, or null. */
export function ourKind(header: string): OurKind | null {
  if (header.startsWith('Time,Event,Protocol,AddressFamily,')) return 'connections';
  if (header.startsWith('Time,Event,ProcessId,ProcessStartTime,')) return 'processes';
  if (header.startsWith('Event,ObservedAt,HostName,Protocol,')) return 'initial';
  return null;
}

const INITIAL_TEXT = ['Message', ...CONNECTION_COLUMNS.filter((c) => c.text).map((c) => c.name)];
const NUMERIC = new Set(['LocalPort', 'RemotePort', 'ProcessId', 'ParentProcessId', 'DurationSeconds', 'BytesSent', 'BytesReceived', 'LinuxInode', 'LinuxSocketUid']);
const HIGH = /[\x80-\xff]/;

/** A latin1-decoded cell (one char a byte) back to exact text. */
function exact(cell: string): string {
  return HIGH.test(cell) ? decodeBytes(Buffer.from(cell, 'latin1')) : cell;
}

export class RowConverter {
  private text: Set<string>;
  private index: Map<string, number>;

  constructor(readonly kind: OurKind, readonly header: string[], readonly file: string) {
    this.text = new Set(kind === 'connections' ? CONN_TEXT : kind === 'processes' ? PROC_TEXT : INITIAL_TEXT);
    this.index = new Map(header.map((h, i) => [h, i]));
  }

  /** One data row (latin1 cells) to a record; throws ImportError naming the field at fault. */
  convert(cells: string[], line: number): ImportedRecord {
    if (cells.length !== this.header.length) throw new ImportError('PR_IMPORT_BAD_ROW', this.file, line, 'row', `expected ${this.header.length} fields, found ${cells.length}`);
    const get = (name: string): string | number | boolean | null => {
      const i = this.index.get(name);
      if (i === undefined) return null;
      const c = cells[i];
      if (c === '') return null;
      if (NUMERIC.has(name)) {
        const v = Number(c);
        if (!Number.isFinite(v)) throw new ImportError('PR_IMPORT_BAD_FIELD', this.file, line, name, `"${c}" is not a number`);
        return v;
      }
      if (name === 'IsService') return c === 'True';
      const t = exact(c);
      return this.text.has(name) ? unguardFormula(t) : t;
    };
    const str = (n: string) => get(n) as string | null;
    const num = (n: string) => get(n) as number | null;
    const modules = (): string[] | null => {
      const m = str('Modules');
      if (m === null) return null;
      try { return JSON.parse(m) as string[]; } catch { throw new ImportError('PR_IMPORT_BAD_FIELD', this.file, line, 'Modules', 'not a JSON array'); }
    };
    const time = str(this.kind === 'initial' ? 'ObservedAt' : 'Time');
    if (time !== null && Number.isNaN(Date.parse(time))) throw new ImportError('PR_IMPORT_BAD_FIELD', this.file, line, this.kind === 'initial' ? 'ObservedAt' : 'Time', `"${time}" is not a time`);
    if (this.kind === 'processes') {
      const p = emptyProcessRecord(OUR_FORMAT, this.file, line);
      Object.assign(p, {
        Time: time, Event: str('Event') ?? '', ProcessId: num('ProcessId'), ProcessStartTime: str('ProcessStartTime'), ProcessName: str('ProcessName'),
        ExecutablePath: str('ExecutablePath'), CommandLine: str('CommandLine'), ParentProcessId: num('ParentProcessId'), UserName: str('UserName'),
        UserId: str('UserId'), ServiceName: str('ServiceName'), IsService: get('IsService') as boolean | null, ExecutableSha256: str('ExecutableSha256'),
        Modules: modules(), HostName: str('HostName'), Message: str('Message'),
      });
      return p;
    }
    const r: LogRecord = emptyLogRecord(OUR_FORMAT, this.file, line);
    Object.assign(r, {
      Time: time, Event: str('Event') ?? '', Protocol: str('Protocol'), AddressFamily: str('AddressFamily'), LocalAddress: str('LocalAddress'),
      LocalPort: num('LocalPort'), RemoteAddress: str('RemoteAddress'), RemotePort: num('RemotePort'), State: str('State'),
      PreviousState: str('PreviousState'), ProcessId: num('ProcessId'), ProcessStartTime: str('ProcessStartTime'), ProcessName: str('ProcessName'),
      ExecutablePath: str('ExecutablePath'), CommandLine: str('CommandLine'), UserName: str('UserName'), UserId: str('UserId'),
      ServiceName: str('ServiceName'), IsService: get('IsService') as boolean | null, Modules: this.kind === 'initial' ? modules() : null,
      OwnerStatus: str('OwnerStatus'), FirstSeen: str('FirstSeen'), LastSeen: str('LastSeen'), DurationSeconds: num('DurationSeconds'),
      BytesSent: num('BytesSent'), BytesReceived: num('BytesReceived'), Source: str('Source'), HostName: str('HostName'), Message: str('Message'),
    });
    return r;
  }
}

/**
 * Stream one of our logs: `input` yields the file's bytes (already gunzipped). Bad rows go to
 * onError (and the import goes on), unless strict, where the first one rejects.
 */
export async function readOurLog(input: Readable, file: string, emit: (r: ImportedRecord) => void, onError: (e: ImportError) => void, strict: boolean): Promise<void> {
  let conv: RowConverter | null = null;
  let failure: unknown = null;
  const fail = (e: ImportError) => { if (strict) throw e; onError(e); };
  const reader = new FastCsvReader((cells, line) => {
    if (!conv) {
      const kind = ourKind(cells.join(','));
      if (!kind) throw new ImportError('PR_IMPORT_UNKNOWN_FORMAT', file, line, null, 'not a PortReport log (unknown header)');
      conv = new RowConverter(kind, cells, file);
      return;
    }
    try {
      emit(conv.convert(cells, line));
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      fail(e);
    }
  }, (line, reason) => fail(new ImportError('PR_IMPORT_BAD_CSV', file, line, null, reason)));
  try {
    for await (const chunk of input) {
      reader.push(chunk as Buffer);
    }
    reader.end();
  } catch (e) {
    failure = e;
  }
  if (failure) throw failure;
}
