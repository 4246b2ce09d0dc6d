import type { XmlRpcValue } from '../api/xmlrpc/values.js';
import { expandIds, parseIdItems } from './args.js';
import type { Caller } from './client.js';
import { CliError } from './errors.js';
import { items, parseXml, str, type XmlObject } from './xml.js';

/** The kinds of object a command argument may name, as OpenNebula's CLI calls them. */
export type Kind = 'VM' | 'VMTEMPLATE' | 'HOST' | 'USER' | 'GROUP' | 'CLUSTER' | 'DATASTORE' | 'IMAGE';

interface PoolCall {
  method: string;
  params: XmlRpcValue[];
  element: string;
  /** The command that lists them, for the hint in "not found" errors. */
  lister: string;
}

/** How to list each kind: every object the user may see (filter -2, all IDs). */
const POOLS: Record<Kind, PoolCall> = {
  VM: { method: 'one.vmpool.info', params: [-2, -1, -1, -1], element: 'VM', lister: 'onevm list' },
  VMTEMPLATE: { method: 'one.templatepool.info', params: [-2, -1, -1], element: 'VMTEMPLATE', lister: 'onetemplate list' },
  HOST: { method: 'one.hostpool.info', params: [], element: 'HOST', lister: 'onehost list' },
  USER: { method: 'one.userpool.info', params: [], element: 'USER', lister: 'oneuser list' },
  GROUP: { method: 'one.grouppool.info', params: [], element: 'GROUP', lister: 'onegroup list' },
  CLUSTER: { method: 'one.clusterpool.info', params: [], element: 'CLUSTER', lister: 'onecluster list' },
  DATASTORE: { method: 'one.datastorepool.info', params: [], element: 'DATASTORE', lister: 'onedatastore list' },
  IMAGE: { method: 'one.imagepool.info', params: [-2, -1, -1], element: 'IMAGE', lister: 'oneimage list' },
};

/** Turns names into IDs the way OpenNebula's CLI does: by listing the pool and matching NAME exactly. */
export class Resolver {
  private readonly pools = new Map<Kind, Promise<XmlObject[]>>();

  constructor(private readonly client: Caller) {}

  /** The objects of a pool, fetched once per command. */
  pool(kind: Kind): Promise<XmlObject[]> {
    let p = this.pools.get(kind);
    if (!p) {
      const { method, params, element } = POOLS[kind];
      p = this.client.call(method, ...params).then((xml) => {
        const doc = parseXml(String(xml));
        return items(doc[`${element}_POOL`], element);
      });
      this.pools.set(kind, p);
    }
    return p;
  }

  /** The ID of `arg`: itself when numeric, otherwise the one object of that name. */
  async id(kind: Kind, arg: string): Promise<number> {
    if (/^\d+$/.test(arg)) return Number(arg);
    const matches = (await this.pool(kind)).filter((o) => str(o, 'NAME') === arg);
    if (matches.length === 0) {
      throw new CliError(`${kind} named ${arg} not found. Check the name with ${POOLS[kind].lister}, or use the ID.`);
    }
    if (matches.length > 1) {
      const ids = matches.map((o) => str(o, 'ID')).join(', ');
      throw new CliError(`There are multiple ${kind}s with name ${arg} (IDs ${ids}); use the ID instead.`);
    }
    return Number(str(matches[0], 'ID'));
  }

  /** The IDs of a list argument: `1,2,5..7`, `3-4`, names, or a mix. */
  ids(kind: Kind, arg: string): Promise<number[]> {
    return expandIds(parseIdItems(arg), (name) => this.id(kind, name));
  }
}
