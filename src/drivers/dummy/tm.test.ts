import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriverError, TM_ACTIONS } from '../types.js';
import { ctx, fakeSleep, host, settlement, tempDataDir, vm } from '../test-fixtures.js';
import { createDummyTm } from './tm.js';

describe('dummy TM', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDataDir()));
  afterEach(() => remove());

  const scripted = (action: string, spec: string) => host(1, { DUMMY_ACTIONS: { [action.toUpperCase()]: spec } });

  it.each(TM_ACTIONS)('%s succeeds at once when unscripted, touching no file', async (action) => {
    const { sleep, waits } = fakeSleep();
    await expect(createDummyTm({ sleep })[action](ctx(vm(1), host(1), dir))).resolves.toBe('');
    expect(waits).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each(TM_ACTIONS)('%s succeeds after a scripted delay', async (action) => {
    const { sleep, waits } = fakeSleep();
    await createDummyTm({ sleep })[action](ctx(vm(1), scripted(action, 'success 1'), dir));
    expect(waits).toEqual([1000]);
  });

  it.each(TM_ACTIONS)('%s fails as scripted', async (action) => {
    const run = createDummyTm({ sleep: fakeSleep().sleep })[action](ctx(vm(1), scripted(action, 'failure 0 no space left'), dir));
    await expect(run).rejects.toThrow(new DriverError('no space left'));
  });

  it.each(TM_ACTIONS)('%s never settles when scripted "never"', async (action) => {
    const run = createDummyTm({ sleep: fakeSleep().sleep })[action](ctx(vm(1), scripted(action, 'never'), dir));
    expect(await settlement(run)).toBe('pending');
  });
});
