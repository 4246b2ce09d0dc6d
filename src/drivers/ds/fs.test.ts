import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DsContext } from '../types.js';
import { createFsDs } from './fs.js';

const MB = 1024 * 1024;

describe('fs DS driver', () => {
  let dir: string;
  const ds = createFsDs({ progressEveryMs: 5 });
  const ctx = (over: Partial<DsContext>): DsContext => ({
    source: join(dir, 'ds', 'img'), from: '', clone: false, format: '', size: 0, progress: () => undefined, ...over,
  });
  const qemuInfo = (file: string) => JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file]).toString()) as Record<string, unknown>;
  const dsFiles = () => readdirSync(join(dir, 'ds'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-ds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('cp copies PATH into SOURCE, creating the datastore directory, and reports raw and the size in MB', async () => {
    const from = join(dir, 'disk.img');
    writeFileSync(from, Buffer.alloc(3 * MB, 7));
    expect(await ds.cp(ctx({ from }))).toEqual({ format: 'raw', size: 3 });
    expect(readFileSync(join(dir, 'ds', 'img')).equals(readFileSync(from))).toBe(true);
    expect(dsFiles()).toEqual(['img']);
  });

  it('cp reports the copy growing, below 100 percent', async () => {
    const from = join(dir, 'big.img');
    writeFileSync(from, '');
    truncateSync(from, 512 * MB);
    const seen: number[] = [];
    await ds.cp(ctx({ from, progress: (p) => seen.push(p) }));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p >= 0 && p < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('cp of a qcow2 clone rewrites it without the internal snapshots of the image it comes from', async () => {
    const from = join(dir, 'src.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', from, '16M']);
    execFileSync('qemu-img', ['snapshot', '-c', 's1', from]);
    expect(await ds.cp(ctx({ from, clone: true, format: 'qcow2' }))).toEqual({ format: 'qcow2', size: 16 });
    const info = qemuInfo(join(dir, 'ds', 'img'));
    expect(info.format).toBe('qcow2');
    expect(info.snapshots).toBeUndefined();
  });

  it('cp runs again over a part file a crash left, and fails with nothing left when PATH is gone', async () => {
    const from = join(dir, 'disk.img');
    writeFileSync(from, Buffer.alloc(MB, 1));
    await ds.mkfs(ctx({ format: 'raw', size: 1 })); // makes the directory
    writeFileSync(join(dir, 'ds', 'img.part'), 'half');
    await ds.cp(ctx({ from }));
    expect(readFileSync(join(dir, 'ds', 'img')).equals(readFileSync(from))).toBe(true);
    expect(dsFiles()).toEqual(['img']);
    await expect(ds.cp(ctx({ from: join(dir, 'nope'), source: join(dir, 'ds', 'other') }))).rejects.toThrow(/ENOENT/);
    expect(dsFiles()).toEqual(['img']);
  });

  it('mkfs creates an empty datablock of FORMAT and SIZE', async () => {
    expect(await ds.mkfs(ctx({ format: 'qcow2', size: 64 }))).toEqual({ format: 'qcow2', size: 64 });
    const info = qemuInfo(join(dir, 'ds', 'img'));
    expect([info.format, info['virtual-size']]).toEqual(['qcow2', 64 * MB]);
    expect(await ds.mkfs(ctx({ source: join(dir, 'ds', 'raw'), format: 'raw', size: 2 }))).toEqual({ format: 'raw', size: 2 });
    expect(qemuInfo(join(dir, 'ds', 'raw'))['virtual-size']).toBe(2 * MB);
  });

  it('rm removes SOURCE and any part, and succeeds when they are gone', async () => {
    await ds.mkfs(ctx({ format: 'raw', size: 1 }));
    writeFileSync(join(dir, 'ds', 'img.part'), 'half');
    await ds.rm(ctx({}));
    expect(dsFiles()).toEqual([]);
    await ds.rm(ctx({}));
    expect(existsSync(join(dir, 'ds', 'img'))).toBe(false);
  });

  it('monitor reads the capacity of the file system under the datastore, creating its directory', async () => {
    const c = await ds.monitor(join(dir, 'ds', '100'));
    const df = execFileSync('df', ['-Pm', dir]).toString().trim().split('\n')[1]!.split(/\s+/);
    expect(existsSync(join(dir, 'ds', '100'))).toBe(true);
    expect(c.totalMb).toBeGreaterThan(0);
    expect(Math.abs(c.totalMb - Number(df[1]))).toBeLessThanOrEqual(1);
    expect(c.freeMb).toBeLessThanOrEqual(c.totalMb);
  });
});
