import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newHistory } from '../../domain/history.js';
import type { Vm } from '../../domain/vm.js';
import { vm } from '../../drivers/test-fixtures.js';
import { SqliteStore } from './sqlite-store.js';

/** A RUNNING VM placed on `hostId`. */
function placed(id: number, hostId: number): Vm {
  const v = vm(id);
  return { ...v, history: [newHistory(undefined, { hostname: `host${hostId}`, hid: hostId, cid: 0, vmMad: 'dummy', tmMad: 'dummy', dsId: 0 }, 0)] };
}

describe('SqliteStore.hostUsage', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-store-'));
    store = new SqliteStore(join(dir, 'one.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('derives every host\'s usage once between VM writes, and again after one', async () => {
    await store.tx(async (tx) => {
      await tx.putVm(placed(1, 7));
      await tx.putVm(placed(2, 7));
    });
    const first = await store.hostUsage();
    expect(first.get(7)).toEqual({ cpu: 200, mem: 1048576, vms: [1, 2] });
    expect(await store.hostUsage()).toBe(first);

    await store.tx(async (tx) => tx.putVm(placed(3, 8)));
    const second = await store.hostUsage();
    expect(second).not.toBe(first);
    expect(second.get(8)).toEqual({ cpu: 100, mem: 524288, vms: [3] });
    expect((await store.hostUsage(7)).get(7)?.vms).toEqual([1, 2]);
  });
});
