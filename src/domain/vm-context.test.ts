import { describe, expect, it } from 'vitest';
import { getVectors } from '../template/access.js';
import { parseTemplate } from '../template/parse.js';
import { resolveContext } from './vm-context.js';
import { newVm } from './vm-new.js';

const owner = { uid: 3, gid: 1, groups: [1], uname: 'alice', gname: 'users' };
const context = (text: string) =>
  getVectors(resolveContext(newVm({ id: 7, template: parseTemplate(text), owner, hold: false, now: 1000 })).template, 'CONTEXT')[0];

describe('resolveContext', () => {
  it('fills $VAR references in CONTEXT from the VM and its attributes (USER_INPUTS answers included)', () => {
    expect(context('NAME="blog"\nCPU=1\nMEMORY=64\nBLOG_TITLE="My blog"\nNIC=[NETWORK="public", IP="1.2.3.4"]\n' +
      'CONTEXT=[TITLE="$BLOG_TITLE", ID="$VMID", OWNER="$UNAME", IP="$NIC[IP, NETWORK=public]", NONE="x$MISSING"]'))
      .toEqual({ TITLE: 'My blog', ID: '7', OWNER: 'alice', IP: '1.2.3.4', NONE: 'x' });
  });

  it('reads the disks as they are when it runs (after the images filled them in)', () => {
    expect(context('CPU=1\nMEMORY=64\nDISK=[IMAGE="deb", TARGET="vda"]\nDISK=[IMAGE="data", TARGET="vdb"]\n' +
      'CONTEXT=[ROOT="$DISK[TARGET]", DATA="$DISK[TARGET, IMAGE=data]"]')).toEqual({ ROOT: 'vda', DATA: 'vdb' });
  });
});
