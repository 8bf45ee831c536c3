import { describe, expect, it } from 'vitest';
import { Filter } from '../src/filter.js';

const ID = '4f8c2a' + 'b'.repeat(58);
const inContainer = { ProcessId: 10, ProcessName: 'nginx', ExecutablePath: '/usr/sbin/nginx', Linux: { ContainerId: ID, PodUid: '1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718' } };
const onHost = { ProcessId: 11, ProcessName: 'sshd', ExecutablePath: '/usr/sbin/sshd', Linux: { ContainerId: null, PodUid: null } };

describe('the container filter', () => {
  it('takes a full id, the 12-character id docker ps shows, wildcards and a pod uid', () => {
    for (const p of [ID, ID.slice(0, 12), '4F8C2A*', '*', '1f2e3d4c-*']) {
      expect(new Filter({ container: [p] }).process(inContainer), p).toBe(true);
    }
  });

  it('takes none of the host\'s sockets, and no other container', () => {
    for (const p of ['*', ID]) expect(new Filter({ container: [p] }).process(onHost), p).toBe(false);
    expect(new Filter({ container: ['abc*'] }).process(inContainer)).toBe(false);
    expect(new Filter({ container: [ID.slice(0, 11)] }).process(inContainer)).toBe(false);
    expect(new Filter({ container: ['x'] }).needsProcess).toBe(true);
  });
});
