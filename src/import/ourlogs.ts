/**
 * PortReport's own logs (docs/logs.md, version 1) back into records, exactly: text cells lose the
 * one formula-guard quote, raw bytes come back as the same escapes the collector produced.
 * A row-to-record core (rowToRecord) and a streaming adapter over csv-parse (readOurLog).
 */
import { quoted } from '../util/display.js';
import { FastCsvReader } from './fastcsv.js';
import type { Readable } from 'node:stream';
import { decodeBytes } from '../util/bytes.js';
import { unguardFormula } from '../util/display.js';
import { CONN_TEXT, INITIAL_TEXT, PROC_TEXT } from '../watch/logformat.js';
import { ImportError } from './errors.js';
import { isValidIsoTime } from '../util/time.js';
import type { ImportedRecord, LogRecord } from './records.js';

export type OurKind = 'connections' | 'processes' | 'initial';
export const OUR_FORMAT = 'PortReport/1';

/** Which of our logs a header row belongs to, or null. */
export function ourKind(header: string): OurKind | null {
  if (header.startsWith('Time,Event,Protocol,AddressFamily,')) return 'connections';
  if (header.startsWith('Time,Event,ProcessId,ProcessStartTime,')) return 'processes';
  if (header.startsWith('Event,ObservedAt,HostName,Protocol,')) return 'initial';
  return null;
}

const HIGH = /[\x80-\xff]/;

/** A latin1-decoded cell (one char a byte) back to exact text. */
function exact(cell: string): string {
  return HIGH.test(cell) ? decodeBytes(Buffer.from(cell, 'latin1')) : cell;
}

type Column = (typeof ALL_COLUMNS)[number];

export class RowConverter {
  /** Column index by name (-1: not in this file), and whether that column is a guarded text cell. */
  private ix: Record<Column, number>;
  private text: boolean[];
  /** Whether the row being converted is known to hold no byte above 0x7f (no cell needs decoding). */
  private ascii = false;

  constructor(readonly kind: OurKind, readonly header: string[], readonly file: string) {
    const textNames = new Set(kind === 'connections' ? CONN_TEXT : kind === 'processes' ? PROC_TEXT : INITIAL_TEXT);
    this.ix = {} as Record<Column, number>;
    for (const name of ALL_COLUMNS) this.ix[name] = header.indexOf(name);
    this.text = header.map((h) => textNames.has(h));
  }

  private str(cells: string[], name: Column): string | null {
    const i = this.ix[name];
    if (i < 0) return null;
    const c = cells[i];
    if (c === '') return null;
    const t = !this.ascii && HIGH.test(c) ? exact(c) : c;
    return this.text[i] ? unguardFormula(t) : t;
  }

  private num(cells: string[], name: Column, line: number): number | null {
    const i = this.ix[name];
    if (i < 0 || cells[i] === '') return null;
    const v = +cells[i];
    if (!Number.isFinite(v)) throw new ImportError('PR_IMPORT_BAD_FIELD', this.file, line, name, `${quoted(exact(cells[i]))} is not a number`);
    return v;
  }

  private bool(cells: string[], name: Column): boolean | null {
    const i = this.ix[name];
    return i < 0 || cells[i] === '' ? null : cells[i] === 'True';
  }

  private modules(cells: string[], line: number): string[] | null {
    const m = this.str(cells, 'Modules');
    if (m === null) return null;
    let v: unknown;
    try { v = JSON.parse(m); } catch { v = null; }
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ImportError('PR_IMPORT_BAD_FIELD', this.file, line, 'Modules', 'not a JSON array of paths');
    return v as string[];
  }

  /**
   * One data row (latin1 cells) to a record; throws ImportError naming the field at fault. `raw`:
   * the row's line, when the cells are its comma-separated parts (one test of it for bytes above
   * 0x7f instead of one a cell).
   */
  convert(cells: string[], line: number, raw?: string): ImportedRecord {
    this.ascii = raw !== undefined && !HIGH.test(raw);
    if (cells.length !== this.header.length) throw new ImportError('PR_IMPORT_BAD_ROW', this.file, line, 'row', `expected ${this.header.length} fields, found ${cells.length}`);
    const timeName = this.kind === 'initial' ? 'ObservedAt' : 'Time';
    const time = this.str(cells, timeName);
    if (time !== null && !isValidIsoTime(time)) throw new ImportError('PR_IMPORT_BAD_FIELD', this.file, line, timeName, `${quoted(time)} is not a time`);
    if (this.kind === 'processes') {
      return {
        RecordType: 'ProcessRecord', Time: time, Event: this.str(cells, 'Event') ?? '', ProcessId: this.num(cells, 'ProcessId', line),
        ProcessStartTime: this.str(cells, 'ProcessStartTime'), ProcessName: this.str(cells, 'ProcessName'), ExecutablePath: this.str(cells, 'ExecutablePath'),
        CommandLine: this.str(cells, 'CommandLine'), ParentProcessId: this.num(cells, 'ParentProcessId', line), UserName: this.str(cells, 'UserName'),
        UserId: this.str(cells, 'UserId'), ServiceName: this.str(cells, 'ServiceName'), IsService: this.bool(cells, 'IsService'),
        ExecutableSha256: this.str(cells, 'ExecutableSha256'), Modules: this.modules(cells, line), HostName: this.str(cells, 'HostName'),
        ContainerId: this.str(cells, 'ContainerId'), ContainerName: this.str(cells, 'ContainerName'),
        Message: this.str(cells, 'Message'), LogFormat: OUR_FORMAT, LogFile: this.file, LogLine: line,
      };
    }
    const r: LogRecord = {
      RecordType: 'LogRecord', Time: time, Event: this.str(cells, 'Event') ?? '', Protocol: this.str(cells, 'Protocol'),
      AddressFamily: this.str(cells, 'AddressFamily'), LocalAddress: this.str(cells, 'LocalAddress'), LocalPort: this.num(cells, 'LocalPort', line),
      RemoteAddress: this.str(cells, 'RemoteAddress'), RemotePort: this.num(cells, 'RemotePort', line), State: this.str(cells, 'State'),
      PreviousState: this.str(cells, 'PreviousState'), ProcessId: this.num(cells, 'ProcessId', line), ProcessStartTime: this.str(cells, 'ProcessStartTime'),
      ProcessName: this.str(cells, 'ProcessName'), ExecutablePath: this.str(cells, 'ExecutablePath'), CommandLine: this.str(cells, 'CommandLine'),
      UserName: this.str(cells, 'UserName'), UserId: this.str(cells, 'UserId'), ServiceName: this.str(cells, 'ServiceName'),
      IsService: this.bool(cells, 'IsService'), Modules: this.kind === 'initial' ? this.modules(cells, line) : null,
      OwnerStatus: this.str(cells, 'OwnerStatus'), FirstSeen: this.str(cells, 'FirstSeen'), LastSeen: this.str(cells, 'LastSeen'),
      DurationSeconds: this.num(cells, 'DurationSeconds', line), BytesSent: this.num(cells, 'BytesSent', line),
      BytesReceived: this.num(cells, 'BytesReceived', line), Source: this.str(cells, 'Source'), HostName: this.str(cells, 'HostName'),
      ContainerId: this.str(cells, this.kind === 'initial' ? 'LinuxContainerId' : 'ContainerId'),
      ContainerName: this.str(cells, this.kind === 'initial' ? 'LinuxContainerName' : 'ContainerName'),
      Message: this.str(cells, 'Message'), LogFormat: OUR_FORMAT, LogFile: this.file, LogLine: line,
    };
    return r;
  }
}

/** Every column name any of our logs has (for the index). */
const ALL_COLUMNS = ['Time', 'ObservedAt', 'Event', 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort',
  'State', 'PreviousState', 'ProcessId', 'ProcessStartTime', 'ProcessName', 'ExecutablePath', 'CommandLine', 'ParentProcessId', 'UserName',
  'UserId', 'ServiceName', 'IsService', 'ExecutableSha256', 'Modules', 'OwnerStatus', 'FirstSeen', 'LastSeen', 'DurationSeconds', 'BytesSent',
  'BytesReceived', 'Source', 'HostName', 'Message', 'ContainerId', 'ContainerName', 'LinuxContainerId', 'LinuxContainerName'] as const;

/**
 * Offered each row of a line without a quote before it is converted (the cells, the line as read,
 * the file's converter); true when it wrote the row itself, false to have the record made and
 * emitted (packedplain.ts).
 */
export type PlainRowHook = (cells: string[], line: number, raw: string, conv: RowConverter) => boolean;

/**
 * Stream one of our logs: `input` yields the file's bytes (already gunzipped). Bad rows go to
 * onError (and the import goes on), unless strict, where the first one rejects. Rows before
 * fromLine are read past (the DuckDB scan took them, duckscan.ts).
 */
export async function readOurLog(input: Readable, file: string, emit: (r: ImportedRecord) => void, onError: (e: ImportError) => void, strict: boolean, fromLine = 1,
  plainRow?: PlainRowHook): Promise<void> {
  let conv: RowConverter | null = null;
  let failure: unknown = null;
  const fail = (e: ImportError) => { if (strict) throw e; onError(e); };
  const reader = new FastCsvReader((cells, line, plain) => {
    if (!conv) {
      const kind = ourKind(cells.join(','));
      if (!kind) throw new ImportError('PR_IMPORT_UNKNOWN_FORMAT', file, line, null, 'not a PortReport log (unknown header)');
      conv = new RowConverter(kind, cells, file);
      return;
    }
    if (line < fromLine) return;
    if (plain !== undefined && plainRow?.(cells, line, plain, conv)) return;
    try {
      emit(conv.convert(cells, line, plain));
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      fail(e);
    }
  }, (line, reason) => { if (line >= fromLine) fail(new ImportError('PR_IMPORT_BAD_CSV', file, line, null, reason)); });
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
