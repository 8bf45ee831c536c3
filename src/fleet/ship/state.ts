/**
 * What a shipper records per log file (docs/fleet.md): the last line it has handled (shipped, or
 * judged a bad row and reported), and whether the file is finished. Kept in a small JSON file,
 * written owner-only under a temporary name and renamed over the old one (never through a link),
 * after every batch the server acknowledged. The server is asked too at start and after any
 * failure (ship.ts): its answer wins when it is ahead (a crash between its acknowledgement and this
 * write), this file's when the server lost rows (a dropped partition is not shipped again).
 */
import { readRegularFile, writeFileAtomic } from '../../util/files.js';

export const STATE_FORMAT = 'PortReport.ShipState';

export interface FileState {
  /** The last line handled; 1 is the header. */
  Line: number;
  /** A gzipped (rotated) log read to its end: nothing more will come. */
  Done: boolean;
  /** The table its rows went to. */
  Table?: string | null;
}

export interface ShipState {
  Format: typeof STATE_FORMAT;
  Version: 1;
  /** The server and database it ships to: a state of another target is not used. */
  Target: string;
  Host: string;
  Files: Record<string, FileState>;
}

export class StateError extends Error {
  readonly code = 'PR_SHIP_STATE';
}

export function emptyState(target: string, host: string): ShipState {
  return { Format: STATE_FORMAT, Version: 1, Target: target, Host: host, Files: {} };
}

/** The state in a file, or a fresh one when there is none; a state of another target or host starts fresh (the server says how far it got). */
export function readState(file: string, target: string, host: string): ShipState {
  let text: string;
  try { text = readRegularFile(file, 16 << 20).toString('utf8'); } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return emptyState(target, host);
    throw new StateError(`${file}: cannot read the shipping state (${(e as Error).message})`);
  }
  let s: ShipState;
  try { s = JSON.parse(text) as ShipState; } catch (e) { throw new StateError(`${file}: not a shipping state file (${(e as Error).message}); move it away to start over (the server's rows decide what is sent)`); }
  if (s?.Format !== STATE_FORMAT || s.Version !== 1 || typeof s.Files !== 'object' || s.Files === null) throw new StateError(`${file}: not a PortReport shipping state file (Format must be "${STATE_FORMAT}", Version 1)`);
  if (s.Target !== target || s.Host !== host) return emptyState(target, host);
  for (const [name, f] of Object.entries(s.Files)) {
    if (!Number.isInteger(f?.Line) || f.Line < 0 || typeof f.Done !== 'boolean') throw new StateError(`${file}: file ${JSON.stringify(name)}: field Line: not a line number`);
  }
  return s;
}

export function writeState(file: string, s: ShipState): void {
  writeFileAtomic(file, JSON.stringify(s) + '\n');
}
