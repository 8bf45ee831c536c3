/**
 * The packed import rows (packedlog.ts) of plain connections-log lines, written from the line's
 * cells without building a LogRecord first: most of an unfiltered import's time went into records
 * that only lived to be written out again.
 *
 * Which lines are taken, and how cells become JSON values: plaincells.ts. A process met for the
 * first time (or changed) is converted once through the record path, so its entry is the
 * serializer's own. A test holds both paths to the same output on every log.
 */
import type { RowConverter } from '../import/ourlogs.js';
import { OUR_FORMAT } from '../import/ourlogs.js';
import type { LogRecord } from '../import/records.js';
import { PlainCells } from './plaincells.js';
import type { PackedLogSerializer } from './packedlog.js';

/** The row's columns in packed order (after the entry number, before LogLine); N: a number. */
const ROW = ['Time', 'Event', 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort:N', 'RemoteAddress', 'RemotePort:N', 'State', 'PreviousState',
  'OwnerStatus', 'FirstSeen', 'LastSeen', 'DurationSeconds:N', 'BytesSent:N', 'BytesReceived:N', 'Source', 'Message'];
/** The cells of the process entry (packedlog.ts processEntry, less what a connections log has not). */
const PROCESS = ['ProcessId', 'ProcessStartTime', 'ProcessName', 'ExecutablePath', 'UserName', 'UserId', 'ServiceName', 'HostName', 'ContainerId', 'ContainerName'];

export class PlainPackedRows {
  private cells: PlainCells | null = null;
  private proc: number[] = [];
  private pid = -1;
  /** Per ProcessId cell: the process cells last seen with it and their entry's number. */
  private byPid = new Map<string, [string[], number]>();

  constructor(private ser: PackedLogSerializer) {}

  /** The packed lines of a plain line's row (`raw`, split into `cells`), or null: take the record path. */
  text(cells: string[], line: number, raw: string, conv: RowConverter): string | null {
    if (conv !== this.cells?.conv) this.use(conv);
    const plain = this.cells!;
    if (!plain.takes(cells, raw)) return null;
    if (this.pid >= 0 && cells[this.pid] !== '' && !Number.isFinite(+cells[this.pid])) return null;
    const out = plain.values(cells);
    if (out === null) return null;
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
    this.cells = new PlainCells(conv, ROW, ROW.map(() => ','));
    this.byPid.clear();
    this.proc = PROCESS.map((c) => conv.header.indexOf(c));
    this.pid = conv.header.indexOf('ProcessId');
  }
}
