import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followCopy } from './copy-progress.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('followCopy', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'copy-progress-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the whole percent of the part file written, once per change, below 100, until stopped', async () => {
    const part = join(dir, 'x.part');
    const seen: number[] = [];
    const stop = followCopy(part, 4000, (p) => seen.push(p), 20);
    await sleep(60);
    expect(seen).toEqual([]); // no part file yet
    writeFileSync(part, Buffer.alloc(1000));
    await sleep(80);
    truncateSync(part, 4000);
    await sleep(80);
    stop();
    truncateSync(part, 2000);
    await sleep(80);
    expect(seen).toEqual([25, 99]);
  });
});
