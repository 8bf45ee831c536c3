import type { Protocol, SocketState } from './record.js';

/** Kernel TCP state numbers (include/net/tcp_states.h) to record state names. */
const TCP_STATES: Record<number, SocketState> = {
  1: 'Established', 2: 'SynSent', 3: 'SynReceived', 4: 'FinWait1', 5: 'FinWait2', 6: 'TimeWait',
  7: 'Closed', 8: 'CloseWait', 9: 'LastAck', 10: 'Listen', 11: 'Closing', 12: 'NewSynReceived',
};

/** Map a kernel state number to a record state. UDP: 7 (CLOSE) means bound but unconnected. */
export function kernelState(protocol: Protocol, n: number): SocketState {
  if (protocol === 'UDP') {
    if (n === 7) return 'Bound';
    if (n === 1) return 'Established';
  }
  return TCP_STATES[n] ?? 'Unknown';
}
