import { mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DsContext, DsDriver, DsFile } from '../types.js';
import { fileSystemCapacity } from './capacity.js';

const MB = 1024 * 1024;

/**
 * SOURCE as a sparse file of the image's SIZE: it takes no room, yet a dummy host that copies an image's
 * file (disk-saveas) finds one. Opening with truncation to the full size is one step, so a rerun after a
 * crash simply makes it again.
 */
async function placeholder(ctx: DsContext): Promise<DsFile> {
  await mkdir(dirname(ctx.source), { recursive: true });
  const file = await open(ctx.source, 'w');
  try {
    await file.truncate(ctx.size * MB);
  } finally {
    await file.close();
  }
  return { format: ctx.format || 'raw', size: ctx.size };
}

/**
 * The `dummy` DS driver, for DS_MAD = "dummy" datastores (as OpenNebula's test rigs use with dummy hosts):
 * nothing is copied or created for real; images land at once with the size and format they were given.
 */
export function createDummyDs(): DsDriver {
  return {
    cp: placeholder,
    mkfs: placeholder,
    async rm(ctx: DsContext) {
      await Promise.all([rm(ctx.source, { force: true }), rm(`${ctx.source}.part`, { force: true })]);
    },
    // its placeholders live on the front-end's file system like the fs driver's files
    monitor: fileSystemCapacity,
  };
}
