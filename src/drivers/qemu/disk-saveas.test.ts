import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markSaveAs } from '../../domain/disk-saveas.js';
import type { Vm } from '../../domain/vm.js';
import { tempDataDir, vm } from '../test-fixtures.js';
import { LocalTransport } from '../transport/local.js';
import { DriverError } from '../types.js';
import { backupDrive, saveDiskLive, saveAsJobId } from './disk-saveas.js';
import { FakeQmpServer, type FakeCall } from './qmp/fake-server.js';
import { QmpConnection } from './qmp/connection.js';
import { VmMonitor } from './qmp/monitor.js';
import { vmFiles } from './vm-files.js';

const FAST = { timeoutMs: 5_000, pollMs: 5 };

let server: FakeQmpServer;
let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  server = new FakeQmpServer();
  ({ dir, remove } = await tempDataDir());
});
afterEach(async () => {
  await server.close();
  await remove();
});

/** A job that is `running` for `polls` query-jobs, then concluded (with `error` when given). */
function jobScript(id: string, polls: number, error?: string): (call: FakeCall) => { return: unknown } {
  let asked = 0;
  return () => {
    const status = asked++ < polls ? 'running' : 'concluded';
    return { return: [{ id, type: 'backup', status, 'current-progress': 0, 'total-progress': 1, ...(status === 'concluded' && error ? { error } : {}) }] };
  };
}

const commands = () => server.calls.slice(1).map((c) => c.command);

describe('backupDrive', () => {
  const job = { id: 'saveas-disk1', device: 'drive-disk1', target: '/vm/saveas.1', format: 'raw' };
  const qmp = () => QmpConnection.open(server.connect());

  it('starts the job, follows it until it concludes and dismisses it', async () => {
    let started = false;
    server.answer('drive-backup', () => ((started = true), {}));
    const running = jobScript(job.id, 2);
    server.answer('query-jobs', (c) => (started ? running(c) : { return: [] })).answer('job-dismiss', {});
    await backupDrive(await qmp(), job, FAST);
    expect(commands()).toEqual(['query-jobs', 'drive-backup', 'query-jobs', 'query-jobs', 'query-jobs', 'job-dismiss']);
  });

  it('follows a job QEMU still has from before a restart instead of starting another', async () => {
    server.answer('query-jobs', jobScript(job.id, 0)).answer('job-dismiss', {});
    await backupDrive(await qmp(), job, FAST);
    expect(commands()).not.toContain('drive-backup');
  });

  it('fails with what QEMU said, once the job is dismissed', async () => {
    server.answer('query-jobs', jobScript(job.id, 0, 'No space left on device')).answer('job-dismiss', {});
    await expect(backupDrive(await qmp(), job, FAST)).rejects.toThrow(new DriverError('QEMU could not copy drive-disk1 to /vm/saveas.1: No space left on device'));
    expect(commands()).toContain('job-dismiss');
  });

  it('cancels a copy that takes too long', async () => {
    let cancelled = false;
    server.answer('query-jobs', () => ({ return: [{ id: job.id, type: 'backup', status: cancelled ? 'concluded' : 'running', 'current-progress': 0, 'total-progress': 1 }] }))
      .answer('job-cancel', () => ((cancelled = true), {})).answer('job-dismiss', {});
    await expect(backupDrive(await qmp(), job, { timeoutMs: 0, pollMs: 1 })).rejects.toThrow(/did not finish within 0 s and was cancelled/);
    expect(commands().filter((c) => c.startsWith('job-'))).toEqual(['job-cancel', 'job-dismiss']);
  });
});

describe('saveDiskLive', () => {
  /** VM 4 running with DISK 1 marked to be saved into an image at `<dir>/images/new`. */
  function marked(snapshot = -1, format = 'raw'): { v: Vm; source: string } {
    const source = join(dir, 'images', 'new');
    const base = vm(4);
    const v: Vm = { ...base, template: [...base.template, { name: 'DISK', value: { DISK_ID: '1', IMAGE_ID: '3', SOURCE: '/ds/1/abc', FORMAT: format, DRIVER: 'qcow2' } }] };
    return { v: markSaveAs(v, 1, { id: 9, source }, snapshot), source };
  }
  const live = () => {
    const files = vmFiles(4, join(dir, 'host'), join(dir, 'run'));
    mkdirSync(files.dir, { recursive: true });
    const t = new LocalTransport();
    return { p: { t, files, monitor: new VmMonitor(async () => server.connect()) }, t, files };
  };

  it('has QEMU copy the drive into the VM directory, lands the file at the image\'s SOURCE and removes the copy', async () => {
    const { v, source } = marked();
    const { p, t, files } = live();
    let target = '';
    server.answer('drive-backup', (c) => {
      target = String(c.args?.target);
      writeFileSync(target, 'the disk at that instant');
      return {};
    });
    const running = jobScript(saveAsJobId('1'), 1);
    server.answer('query-jobs', (c) => (target ? running(c) : { return: [] })).answer('job-dismiss', {});
    await saveDiskLive(v, p, t, FAST);
    expect(target).toBe(join(files.dir, 'saveas.1'));
    expect(server.calls.find((c) => c.command === 'drive-backup')?.args).toMatchObject({ device: 'drive-disk1', format: 'raw', sync: 'full' });
    expect(readFileSync(source, 'utf8')).toBe('the disk at that instant');
    expect(existsSync(target)).toBe(false);
  });

  it('reads a saved disk snapshot from the qcow2 file without QEMU', async () => {
    const { v, source } = marked(2, 'qcow2');
    const { p, t, files } = live();
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', files.disk('1'), '4M']);
    execFileSync('qemu-img', ['snapshot', '-c', 'disk-snap-2', files.disk('1')]);
    await saveDiskLive(v, p, t, FAST);
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', source]).toString()) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 4 * 1024 * 1024 });
    expect(server.calls).toEqual([]);
    expect(existsSync(join(files.dir, 'saveas.1'))).toBe(false);
  });

  it('refuses a VM with no disk marked to be saved', async () => {
    const { p, t } = live();
    await expect(saveDiskLive(vm(4), p, t, FAST)).rejects.toThrow(/VM 4 has no disk marked to be saved/);
  });
});
