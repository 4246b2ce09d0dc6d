import { execFile } from 'node:child_process';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { DsContext, DsDriver, DsFile } from '../types.js';
import { fileSystemCapacity } from './capacity.js';
import { followCopy } from './copy-progress.js';

const run = promisify(execFile);
const MB = 1024 * 1024;

export interface FsDsOptions {
  /** How often a copy's progress is looked at. */
  progressEveryMs?: number;
}

/** The format and virtual size qemu-img reads in a file; raw and the file's size when it cannot tell. */
async function probe(file: string): Promise<DsFile> {
  try {
    const { stdout } = await run('qemu-img', ['info', '--output=json', file]);
    const info = JSON.parse(stdout) as { format?: string; 'virtual-size'?: number };
    return { format: info.format ?? 'raw', size: Math.ceil((info['virtual-size'] ?? 0) / MB) };
  } catch {
    return { format: 'raw', size: Math.ceil((await stat(file)).size / MB) };
  }
}

/**
 * Writes `source` through `<source>.part`, renamed when `write` finished, so a file at SOURCE is always
 * whole and a write cut short by a crash is simply done again from the start.
 */
async function landWhole(source: string, write: (part: string) => Promise<unknown>): Promise<void> {
  const part = `${source}.part`;
  await mkdir(dirname(source), { recursive: true });
  try {
    await write(part);
    await rename(part, source);
  } finally {
    await rm(part, { force: true });
  }
}

/** The `fs` DS driver: image files are plain files under the datastore's BASE_PATH on the front-end. */
export function createFsDs(opts: FsDsOptions = {}): DsDriver {
  const everyMs = opts.progressEveryMs ?? 1000;
  return {
    async cp(ctx: DsContext) {
      const total = (await stat(ctx.from)).size;
      await landWhole(ctx.source, async (part) => {
        const stop = followCopy(part, total, ctx.progress, everyMs);
        try {
          // a qcow2 file is rewritten, not copied: its internal snapshots belong to the image it came from
          if (ctx.clone && ctx.format === 'qcow2') await run('qemu-img', ['convert', '-q', '-f', 'qcow2', '-O', 'qcow2', ctx.from, part]);
          else await copyFile(ctx.from, part);
        } finally {
          stop();
        }
      });
      const found = await probe(ctx.source);
      return { format: ctx.format || found.format, size: found.size };
    },
    async mkfs(ctx: DsContext) {
      await landWhole(ctx.source, (part) => run('qemu-img', ['create', '-q', '-f', ctx.format, part, `${ctx.size}M`]));
      return { format: ctx.format, size: ctx.size };
    },
    async rm(ctx: DsContext) {
      await Promise.all([rm(ctx.source, { force: true }), rm(`${ctx.source}.part`, { force: true })]);
    },
    monitor: fileSystemCapacity,
  };
}
