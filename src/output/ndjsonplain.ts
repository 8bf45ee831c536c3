/**
 * The readable import NDJSON (contract 1, what `portreport import` writes for people and jq) of
 * plain connections-log lines, written from the line's cells without building a LogRecord and
 * stringifying it: the same text as JSON.stringify of the record the record path makes, key for
 * key. Which lines are taken, and how cells become JSON values: plaincells.ts. A test holds both
 * paths to the same output on every log.
 */
import type { RowConverter } from '../import/ourlogs.js';
import { OUR_FORMAT } from '../import/ourlogs.js';
import { PlainCells } from './plaincells.js';

/** A LogRecord's properties in the order the record path makes them, up to Message (N: a number). */
const RECORD = ['Time', 'Event', 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort:N', 'RemoteAddress', 'RemotePort:N', 'State', 'PreviousState',
  'ProcessId:N', 'ProcessStartTime', 'ProcessName', 'ExecutablePath', 'CommandLine', 'UserName', 'UserId', 'ServiceName', 'IsService', 'Modules',
  'OwnerStatus', 'FirstSeen', 'LastSeen', 'DurationSeconds:N', 'BytesSent:N', 'BytesReceived:N', 'Source', 'HostName', 'ContainerId', 'ContainerName', 'Message'];

export class PlainNdjsonRows {
  private cells: PlainCells | null = null;
  private tail = '';

  /** The NDJSON line of a plain line's row (`raw`, split into `cells`), or null: take the record path. */
  text(cells: string[], line: number, raw: string, conv: RowConverter): string | null {
    if (conv !== this.cells?.conv) {
      this.cells = new PlainCells(conv, RECORD, RECORD.map((c, k) => `${k ? ',' : ''}"${c.split(':')[0]}":`));
      this.tail = `,"LogFormat":${JSON.stringify(OUR_FORMAT)},"LogFile":${JSON.stringify(conv.file)},"LogLine":`;
    }
    if (!this.cells.takes(cells, raw)) return null;
    const values = this.cells.values(cells);
    return values === null ? null : `{"RecordType":"LogRecord",${values}${this.tail}${line}}\n`;
  }
}
