/**
 * Kernel-Network events from .NET through edge-js (optional: docs/windows.md), decoded by the one
 * decoder (etw.ts). `source` is "etw" (the real-time session, PortReport.Bridge/EtwSession.cs),
 * or for the tests under Wine, which has no kernel ETW providers, "stand-in" (fixed payloads) or
 * "loopback:PORT" (one real connection of this process, as its connect and disconnect events).
 * Each event reaches `onEvent`; lost events reach `onLost` (the logger writes them as a Gap row).
 * stop() ends the stream cleanly.
 */
import { createRequire } from 'node:module';
import { decodeKernelNetworkEvent, lostEventsDiagnostic, type NetworkEvent } from './etw.js';
import type { Diagnostic } from '../../model/diagnostic.js';

export interface BridgePaths {
  /** edge-js's package folder (lib/edge.js inside). */
  edge: string;
  /** A self-contained edge-js bootstrap (EDGE_BOOTSTRAP_DIR). */
  bootstrap: string;
  /** PortReport.Bridge.dll. */
  assembly: string;
}

type EdgeFunc = (input: unknown, cb: (err: unknown, result: unknown) => void) => void;
interface Edge { func(spec: { assemblyFile: string; typeName: string; methodName: string }): EdgeFunc }

export type EventSourceName = 'etw' | 'stand-in' | `loopback:${number}`;

export interface NetworkEventStream {
  /** Resolves with the number of events the source sent, once it stopped. */
  done: Promise<number>;
  stop(): Promise<void>;
}

export function startNetworkEvents(paths: BridgePaths, source: EventSourceName, onEvent: (e: NetworkEvent) => void, onLost: (d: Diagnostic) => void, intervalMs = 5): NetworkEventStream {
  process.env.EDGE_USE_CORECLR = '1';
  process.env.EDGE_BOOTSTRAP_DIR = paths.bootstrap;
  const edge = createRequire(import.meta.url)(`${paths.edge}/lib/edge.js`) as Edge;
  const method = (methodName: string) => edge.func({ assemblyFile: paths.assembly, typeName: 'PortReport.NetworkEvents', methodName });
  const run = method('Run');
  const stop = method('Stop');
  const call = <T>(fn: EdgeFunc, input: unknown) => new Promise<T>((resolve, reject) => fn(input, (err, r) => (err ? reject(err) : resolve(r as T))));
  const handler = (e: { Id?: number; Payload?: Buffer; Lost?: number }, cb: (err: unknown, r: unknown) => void) => {
    if (typeof e.Lost === 'number') { const d = lostEventsDiagnostic(e.Lost, 0); if (d) onLost(d); }
    else if (typeof e.Id === 'number' && e.Payload) { const n = decodeKernelNetworkEvent(e.Id, Buffer.from(e.Payload)); if (n) onEvent(n); }
    cb(null, null);
  };
  return {
    done: call<number>(run, { onEvent: handler, source, intervalMs }),
    stop: async () => { await call(stop, null); },
  };
}
