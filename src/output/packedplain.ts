/**
 * The packed import rows (packedlog.ts) of plain connections-log lines, written from the line's
 * cells without building a LogRecord first: most of an unfiltered import's time went into records
 * that only lived to be written out again.
 *
 * Only a line whose every byte is printable ASCII other than " ' and \ is taken: its cells are its
 * text (no raw bytes to decode, no formula guard to remove) and need no JSON escape. Numbers go
 * out as the record path writes them (String(+cell)); a number that is not finite, a time the
 * importer would refuse, a row of the wrong width, or a log with columns this does not write
 * (CommandLine, IsService, Modules) gives null, and that row takes the record path, which reports
 * it. A process met for the first time (or changed) is converted once through the record path, so
 * its entry is the serializer's own. A test holds both paths to the same output on every log.
 */
import type { RowConverter } from '../import/ourlogs.js';
import { OUR_FORMAT } from '../import/ourlogs.js';
import type { LogRecord } from '../import/records.js';
import { isValidIsoTime } from '../util/time.js';
import type { PackedLogSerializer } from './packedlog.js';

/** Printable ASCII but " ' \. */
const BORING = /^[ !#-&(-[\]-~]*$/;
/** The row's columns in packed order (after the entry number, before LogLine); N: a number. */
const ROW = ['Time', 'Event', 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort:N', 'RemoteAddress', 'RemotePort:N', 'State', 'PreviousState',
  'OwnerStatus', 'FirstSeen', 'LastSeen', 'DurationSeconds:N', 'BytesSent:N', 'BytesReceived:N', 'Source', 'Message'];
/** The cells of the process entry (packedlog.ts processEntry, less what a connections log has not). */
const PROCESS = ['ProcessId', 'ProcessStartTime', 'ProcessName', 'ExecutablePath', 'UserName', 'UserId', 'ServiceName', 'HostName', 'ContainerId', 'ContainerName'];
const NOT_WRITTEN = ['CommandLine', 'IsService', 'Modules'];

export class PlainPackedRows {
  private conv: RowConverter | null = null;
  private usable = false;
  private row: number[] = [];
  private numeric: boolean[] = [];
  private proc: number[] = [];
  private time = -1;
  private pid = -1;
  /** Per ProcessId cell: the process cells last seen with it and their entry's number. */
  private byPid = new Map<string, [string[], number]>();

  constructor(private ser: PackedLogSerializer) {}

  /** The packed lines of a plain line's row (`raw`, split into `cells`), or null: take the record path. */
  lines(cells: string[], line: number, raw: string, conv: RowConverter): string | null {
    if (conv !== this.conv) this.use(conv);
    if (!this.usable || cells.length !== conv.header.length || !BORING.test(raw)) return null;
    const t = this.time < 0 ? '' : cells[this.time];
    if (t !== '' && !isValidIsoTime(t)) return null;
    if (this.pid >= 0 && cells[this.pid] !== '' && !Number.isFinite(+cells[this.pid])) return null;
    let out = '';
    for (let k = 0; k < this.row.length; k++) {
      const i = this.row[k];
      const c = i < 0 ? '' : cells[i];
      if (this.numeric[k]) {
        if (c === '') { out += ',null'; continue; }
        const v = +c;
        if (!Number.isFinite(v)) return null;
        out += `,${v}`;
      } else out += c === '' ? (k === 1 ? ',""' : ',null') : `,"${c}"`; // Event is never null
    }
    const n = this.entry(cells, line, raw, conv);
    if (n === null) return null;
    return `${n[0]}[${n[1]}${out},${line}]\n`;
  }

  private entry(cells: string[], line: number, raw: string, conv: RowConverter): [string, number] | null {
    const key = this.pid < 0 ? '' : cells[this.pid];
    const seen = this.byPid.get(key);
    if (seen && this.same(cells, seen[0])) return [this.ser.context(OUR_FORMAT, conv.file), seen[1]];
    let r: LogRecord;
    try { r = conv.convert(cells, line, raw) as LogRecord; } catch { return null; }
    const [before, n] = this.ser.refer(r);
    this.byPid.set(key, [this.proc.map((i) => (i < 0 ? '' : cells[i])), n]);
    return [before, n];
  }

  private same(cells: string[], was: string[]): boolean {
    for (let k = 0; k < this.proc.length; k++) if ((this.proc[k] < 0 ? '' : cells[this.proc[k]]) !== was[k]) return false;
    return true;
  }

  private use(conv: RowConverter): void {
    this.conv = conv;
    this.byPid.clear();
    const ix = (name: string) => conv.header.indexOf(name);
    this.usable = conv.kind === 'connections' && NOT_WRITTEN.every((c) => ix(c) < 0);
    this.row = ROW.map((c) => ix(c.split(':')[0]));
    this.numeric = ROW.map((c) => c.endsWith(':N'));
    this.proc = PROCESS.map(ix);
    this.time = ix('Time');
    this.pid = ix('ProcessId');
  }
}
