/**
 * Container names from the runtimes' own files, laid out in a temporary root as each runtime
 * writes them: docker's config.v2.json, podman's containers.json, the kubelet's
 * /var/log/containers names. Hostile content stays data; links and oversized files are refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerNames, dockerName, podLogNames, podmanNames } from '../../../src/collect/linux/containername.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const D = 'd'.repeat(64);
const root = mkdtempSync(join(tmpdir(), 'portreport-cname-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runtime file parsers', () => {
  it('docker: Name without its slash; anything else is no name', () => {
    expect(dockerName('{"ID":"x","Name":"/web","Config":{}}')).toBe('web');
    expect(dockerName('{"Name":"/\\u001b[31mred"}')).toBe('\u001b[31mred');
    expect(dockerName('{"Name":5}')).toBeNull();
    expect(dockerName('not json')).toBeNull();
  });
  it('podman: first name of each id', () => {
    expect([...podmanNames(`[{"id":"${A}","names":["db","db2"]},{"id":"x"},7,null]`)]).toEqual([[A, 'db']]);
    expect(podmanNames('{"id":1}').size).toBe(0);
  });
  it('kubelet: namespace/pod/container from the log names', () => {
    const m = podLogNames([`web-7d4b9_prod_nginx-${A}.log`, `coredns-5d78c_kube-system_coredns-${B}.log`, 'junk.log', `x_y_z-${'e'.repeat(63)}.log`]);
    expect([...m]).toEqual([[A, 'prod/web-7d4b9/nginx'], [B, 'kube-system/coredns-5d78c/coredns']]);
  });
});

describe('ContainerNames over a runtime root', () => {
  const docker = join(root, 'docker');
  const pods = join(root, 'pods');
  const podman = join(root, 'containers.json');
  mkdirSync(join(docker, A), { recursive: true });
  writeFileSync(join(docker, A, 'config.v2.json'), '{"Name":"/web"}');
  mkdirSync(join(docker, B));
  writeFileSync(join(root, 'elsewhere.json'), '{"Name":"/spoofed"}');
  symlinkSync(join(root, 'elsewhere.json'), join(docker, B, 'config.v2.json'));
  symlinkSync(join(docker, A), join(docker, D)); // a linked directory: refused too
  mkdirSync(join(docker, C));
  writeFileSync(join(docker, C, 'config.v2.json'), `{"Name":"/big","Pad":"${'x'.repeat(5 << 20)}"}`);
  mkdirSync(pods);
  writeFileSync(join(pods, `api-1_prod_app-${B}.log`), '');
  writeFileSync(podman, `[{"id":"${C}","names":["cache"]}]`);
  const names = new ContainerNames({ docker, pods, podman });

  it('names each runtime\'s containers from its files', () => {
    expect(names.name(A, 'docker', null)).toBe('web');
    expect(names.name(B, 'containerd', 'pod-uid')).toBe('prod/api-1/app');
    expect(names.name(C, 'podman', null)).toBe('cache');
    expect(names.name('mybox', 'lxc', null)).toBe('mybox');
  });
  it('refuses a linked file or folder, an oversized file, and a name it cannot read', () => {
    expect(names.name(B, 'docker', null), 'config.v2.json is a link').toBeNull();
    expect(names.name(D, 'docker', null), 'the container folder is a link').toBeNull();
    expect(names.name(C, 'docker', null), 'over 4 MiB').toBeNull();
    expect(names.name(A, 'cri-o', null)).toBeNull();
    expect(names.name('../../etc', 'docker', null)).toBeNull();
  });
});
