import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriverError } from '../types.js';
import { hypervisorFile, readHypervisor, updateHypervisor, type Domain } from './hypervisor.js';
import { tempDataDir } from '../test-fixtures.js';

function domain(vmId: number): Domain {
  return { deployId: `one-${vmId}`, vmId, state: 'running', started: 1000, cpu: 100, memory: 524288 };
}

describe('hypervisor', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDataDir()));
  afterEach(() => remove());

  it('keeps a host in <dataDir>/dummy/host-<id>.json and reads it back', async () => {
    await updateHypervisor(dir, 4, (hv) => void hv.domains.push(domain(1)));
    expect(hypervisorFile(dir, 4)).toBe(`${dir}/dummy/host-4.json`);
    expect(JSON.parse(await readFile(hypervisorFile(dir, 4), 'utf8'))).toEqual({ domains: [domain(1)], checkpoints: [] });
    expect(await readHypervisor(dir, 4)).toEqual({ domains: [domain(1)], checkpoints: [] });
  });

  it('treats a host never written as empty and writes nothing for it', async () => {
    expect(await readHypervisor(dir, 9)).toEqual({ domains: [], checkpoints: [] });
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('serializes concurrent changes of one host so none is lost, and leaves no temp file', async () => {
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => updateHypervisor(dir, 1, (hv) => void hv.domains.push(domain(i)))),
    );
    const { domains } = await readHypervisor(dir, 1);
    expect(domains.map((d) => d.vmId).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(await readdir(dirname(hypervisorFile(dir, 1)))).toEqual(['host-1.json']);
  });

  it('leaves the file untouched when a change throws, and goes on with the next one', async () => {
    await updateHypervisor(dir, 1, (hv) => void hv.domains.push(domain(1)));
    const failing = updateHypervisor(dir, 1, (hv) => {
      hv.domains = [];
      throw new DriverError('no');
    });
    const next = updateHypervisor(dir, 1, (hv) => hv.domains.length);
    await expect(failing).rejects.toThrow('no');
    await expect(next).resolves.toBe(1);
  });

  it('says which file is damaged and what to do', async () => {
    await mkdir(dirname(hypervisorFile(dir, 2)), { recursive: true });
    await writeFile(hypervisorFile(dir, 2), '{"domains": [');
    await expect(readHypervisor(dir, 2)).rejects.toThrow(/host-2.json is damaged .*; fix it or delete it/);
  });
});
