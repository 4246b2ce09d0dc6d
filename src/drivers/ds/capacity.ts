import { mkdir, statfs } from 'node:fs/promises';
import { capacityOf, type DatastoreCapacity } from '../../domain/datastore.js';

/**
 * TOTAL_MB, FREE_MB and USED_MB of the file system holding a datastore's directory on the front-end,
 * creating the directory first when it is missing (OpenNebula's DS monitor action).
 */
export async function fileSystemCapacity(basePath: string): Promise<DatastoreCapacity> {
  await mkdir(basePath, { recursive: true });
  return capacityOf(await statfs(basePath));
}
