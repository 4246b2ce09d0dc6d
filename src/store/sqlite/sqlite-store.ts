import Database from 'better-sqlite3';
import type { Datastore } from '../../domain/datastore.js';
import type { Image } from '../../domain/image.js';
import type { Group } from '../../domain/group.js';
import type { Host, HostUsage } from '../../domain/host.js';
import type { User } from '../../domain/user.js';
import type { VmTemplate } from '../../domain/vm-template.js';
import { currentHistory, type Vm } from '../../domain/vm.js';
import { stateName } from '../../lifecycle/states.js';
import { holdsHost } from '../../lifecycle/table.js';
import { vmCapacity } from '../../domain/vm-capacity.js';
import { normalizeKey, parseSearch, vmSearchDocument } from '../search-document.js';
import type { OperationRecord, PoolName, Sample, Store, Tx, VmQuery } from '../store.js';
import { FIRST_IDS, SCHEMA } from './schema.js';

type Row = Record<string, unknown>;

/** A statement prepared once per connection and kept: preparing is a large part of a small query. */
function prepared(db: Database.Database, stmts: Map<string, Database.Statement>, sql: string): Database.Statement {
  let st = stmts.get(sql);
  if (!st) {
    st = db.prepare(sql);
    stmts.set(sql, st);
  }
  return st;
}

/**
 * The embedded store: SQLite in WAL mode. Writes go through one connection, one transaction at a time;
 * committed objects are kept in an identity cache, so unchanged VMs are neither re-parsed nor re-rendered.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  /** A second connection for reads outside transactions: it sees committed data only. */
  private readonly reader: Database.Database;
  private readonly caches: Caches = { vm: new Map(), host: new Map(), image: new Map() };
  private queue: Promise<unknown> = Promise.resolve();
  /** Prepared statements of the write connection, shared by all its transactions. */
  private readonly writeStatements = new Map<string, Database.Statement>();
  /** Transactions committed that wrote VMs, and every host's usage as derived after the last of them. */
  private vmWrites = 0;
  private usage: { writes: number; map: Map<number, HostUsage> } | null = null;
  readonly read: Tx;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.function('norm_key', { deterministic: true }, (k: unknown) => normalizeKey(String(k)));
    this.db.exec(SCHEMA);
    moveImageVmsToTable(this.db);
    this.reader = new Database(file, { readonly: true });
    this.reader.function('norm_key', { deterministic: true }, (k: unknown) => normalizeKey(String(k)));
    this.read = new SqliteTx(this.reader, new Map(), this.caches, null);
  }

  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const run = async () => {
      const staged: Staged = { vm: new Map(), host: new Map(), image: new Map() };
      const tx = new SqliteTx(this.db, this.writeStatements, this.caches, staged);
      this.stmt('BEGIN IMMEDIATE').run();
      try {
        const out = await fn(tx);
        this.stmt('COMMIT').run();
        if (staged.vm.size > 0) this.vmWrites++;
        for (const kind of CACHED) {
          for (const [id, obj] of staged[kind]) {
            if (obj === null) this.caches[kind].delete(id);
            else (this.caches[kind] as Map<number, unknown>).set(id, obj);
          }
        }
        return out;
      } catch (e) {
        this.stmt('ROLLBACK').run();
        throw e;
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async hostUsage(hostId?: number): Promise<Map<number, HostUsage>> {
    if (hostId !== undefined) return this.usageOf(hostId);
    // Every host's usage is derived again only after VMs were written: a hostpool.info between two
    // changes costs no query, and its host views (memoized per usage object) are not rendered again.
    if (this.usage?.writes !== this.vmWrites) this.usage = { writes: this.vmWrites, map: this.usageOf() };
    return this.usage.map;
  }

  private usageOf(hostId?: number): Map<number, HostUsage> {
    const rows = (hostId === undefined
      ? this.reader.prepare('SELECT host_id, id, cpu, mem FROM vm WHERE host_id IS NOT NULL ORDER BY host_id, id').all()
      : this.reader.prepare('SELECT host_id, id, cpu, mem FROM vm WHERE host_id = ? ORDER BY id').all(hostId)) as { host_id: number; id: number; cpu: number; mem: number }[];
    const out = new Map<number, HostUsage>();
    for (const r of rows) {
      const u = out.get(r.host_id) ?? { cpu: 0, mem: 0, vms: [] };
      u.cpu += r.cpu;
      u.mem += r.mem;
      u.vms.push(r.id);
      out.set(r.host_id, u);
    }
    return out;
  }

  private stmt(sql: string): Database.Statement {
    return prepared(this.db, this.writeStatements, sql);
  }

  async close(): Promise<void> {
    await this.queue;
    this.reader.close();
    this.db.close();
  }
}

/** True when `list` is `prefix` followed by more. */
function startsWith(list: readonly number[], prefix: readonly number[]): boolean {
  if (list.length <= prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (list[i] !== prefix[i]) return false;
  return true;
}

/**
 * Databases written before image_vm kept an image's VMS in its body: they move to the table once, at open,
 * in one transaction.
 */
function moveImageVmsToTable(db: Database.Database): void {
  const rows = db.prepare(`SELECT id, body FROM image WHERE body LIKE '%"vms":[%' AND body NOT LIKE '%"vms":[]%'`).all() as { id: number; body: string }[];
  if (rows.length === 0) return;
  const insert = db.prepare('INSERT OR IGNORE INTO image_vm(image_id, vm_id) VALUES(?, ?)');
  const update = db.prepare('UPDATE image SET body = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) {
      const { vms, ...body } = JSON.parse(r.body) as Image;
      for (const vm of vms ?? []) insert.run(r.id, vm);
      update.run(JSON.stringify(body), r.id);
    }
  })();
}

/** The objects kept in identity caches: read often, rendered often, written one at a time. */
interface Cached {
  vm: Vm;
  host: Host;
  /** An image used by many VMs lists them all (VMS): parsing it on every instantiate would cost. */
  image: Image;
}
const CACHED = ['vm', 'host', 'image'] as const;
type Caches = { [K in keyof Cached]: Map<number, Cached[K]> };
/** What an open transaction wrote (null: deleted), published to the caches when it commits. */
type Staged = { [K in keyof Cached]: Map<number, Cached[K] | null> };

/** Reads and writes on one connection; `staged` collects the cached objects an open transaction wrote. */
class SqliteTx implements Tx {
  constructor(
    private readonly db: Database.Database,
    /** Prepared statements of this connection, kept across transactions. */
    private readonly stmts: Map<string, Database.Statement>,
    private readonly caches: Caches,
    private readonly staged: Staged | null,
  ) {}

  private st(sql: string): Database.Statement {
    return prepared(this.db, this.stmts, sql);
  }

  private bodies<T>(sql: string, ...args: unknown[]): T[] {
    return (this.st(sql).all(...args) as Row[]).map((r) => JSON.parse(r.body as string) as T);
  }

  private body<T>(sql: string, ...args: unknown[]): T | undefined {
    const r = this.st(sql).get(...args) as Row | undefined;
    return r ? (JSON.parse(r.body as string) as T) : undefined;
  }

  async nextId(pool: PoolName): Promise<number> {
    const r = this.st('SELECT next FROM pool_seq WHERE pool = ?').get(pool) as { next: number } | undefined;
    const id = r?.next ?? FIRST_IDS[pool];
    this.st('INSERT INTO pool_seq(pool, next) VALUES(?, ?) ON CONFLICT(pool) DO UPDATE SET next = excluded.next').run(pool, id + 1);
    return id;
  }

  /**
   * A cached object by id: staged by this transaction, else the committed copy in the cache, else parsed
   * from its row (and cached, when reading committed data). Queries select ids only, so cached objects
   * cost no I/O and keep their identity (which lets the renderers remember their documents).
   */
  private byId<K extends keyof Cached>(kind: K, id: number): Cached[K] | undefined {
    const staged = this.staged?.[kind].get(id);
    if (staged !== undefined) return staged ?? undefined;
    const hit = this.caches[kind].get(id);
    if (hit) return hit;
    const r = this.st(`SELECT body FROM ${kind} WHERE id = ?`).get(id) as Row | undefined;
    if (!r) return undefined;
    const obj = (kind === 'image' ? this.imageOf(r.body as string) : JSON.parse(r.body as string)) as Cached[K];
    if (!this.staged) this.caches[kind].set(id, obj);
    return obj;
  }

  private allById<K extends keyof Cached>(kind: K, rows: unknown[]): Cached[K][] {
    return (rows as { id: number }[]).map((r) => this.byId(kind, r.id)!);
  }

  /** Records a write of a cached object: staged until commit, or straight to the cache outside one. */
  private remember<K extends keyof Cached>(kind: K, id: number, obj: Cached[K] | null): void {
    if (this.staged) (this.staged[kind] as Map<number, Cached[K] | null>).set(id, obj);
    else if (obj === null) this.caches[kind].delete(id);
    else (this.caches[kind] as Map<number, Cached[K]>).set(id, obj);
  }

  // ---- VMs
  private vmsOf(rows: unknown[]): Vm[] {
    return this.allById('vm', rows);
  }

  async getVm(id: number): Promise<Vm | undefined> {
    return this.byId('vm', id);
  }

  async putVm(vm: Vm): Promise<void> {
    const state = stateName(vm.state, vm.lcmState);
    const host = holdsHost(state) ? (currentHistory(vm)?.hid ?? null) : null;
    const { cpu, mem } = vmCapacity(vm);
    this.st(
      `INSERT INTO vm(id, uid, gid, name, state, lcm_state, resched, host_id, cpu, mem, body, search)
       VALUES(?,?,?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT(id) DO UPDATE SET uid=excluded.uid, gid=excluded.gid, name=excluded.name, state=excluded.state,
         lcm_state=excluded.lcm_state, resched=excluded.resched, host_id=excluded.host_id, cpu=excluded.cpu,
         mem=excluded.mem, body=excluded.body, search=excluded.search`,
    ).run(vm.id, vm.uid, vm.gid, vm.name, vm.state, vm.lcmState, vm.resched, host, cpu, mem, JSON.stringify(vm), vmSearchDocument(vm));
    this.remember('vm', vm.id, vm);
  }

  async queryVms(q: VmQuery): Promise<Vm[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.state === -1) where.push('state != 6');
    else if (q.state >= 0) {
      where.push('state = ?');
      args.push(q.state);
    }
    const owners: string[] = [];
    if (q.uids) {
      owners.push(`uid IN (${q.uids.map(() => '?').join(',')})`);
      args.push(...q.uids);
    }
    if (q.gids && q.gids.length) {
      owners.push(`gid IN (${q.gids.map(() => '?').join(',')})`);
      args.push(...q.gids);
    }
    if (owners.length) where.push(`(${owners.join(' OR ')})`);
    if (q.fromId >= 0) {
      where.push('id >= ?');
      args.push(q.fromId);
    }
    if (q.toId >= 0) {
      where.push('id <= ?');
      args.push(q.toId);
    }
    for (const term of parseSearch(q.search ?? '')) {
      const like = `%${term.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      if (term.key === undefined) {
        where.push(`EXISTS (SELECT 1 FROM json_tree(vm.search) t WHERE t.atom IS NOT NULL AND t.atom LIKE ? ESCAPE '\\')`);
        args.push(like);
      } else {
        where.push(`EXISTS (SELECT 1 FROM json_tree(vm.search) t WHERE t.atom IS NOT NULL AND norm_key(t.fullkey) = ? AND t.atom LIKE ? ESCAPE '\\')`);
        args.push(term.key, like);
      }
    }
    let sql = `SELECT id FROM vm ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    if (q.size > 0) {
      sql += ' LIMIT ? OFFSET ?';
      args.push(q.size, q.offset);
    }
    return this.vmsOf(this.st(sql).all(...args));
  }

  async schedulableVms(): Promise<Vm[]> {
    return this.vmsOf(this.st('SELECT id FROM vm WHERE state = 1 OR (resched = 1 AND state IN (3, 8)) ORDER BY id').all());
  }

  async vmsOnHost(hostId: number): Promise<Vm[]> {
    return this.vmsOf(this.st('SELECT id FROM vm WHERE host_id = ? ORDER BY id').all(hostId));
  }

  // ---- hosts
  async getHost(id: number) {
    return this.byId('host', id);
  }
  async getHostByName(name: string) {
    const r = this.st('SELECT id FROM host WHERE name = ?').get(name) as { id: number } | undefined;
    return r && this.byId('host', r.id);
  }
  async putHost(h: Host) {
    this.st('INSERT INTO host(id, name, body) VALUES(?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, body=excluded.body').run(h.id, h.name, JSON.stringify(h));
    this.remember('host', h.id, h);
  }
  async deleteHost(id: number) {
    this.st('DELETE FROM host WHERE id = ?').run(id);
    this.st('DELETE FROM host_monitoring WHERE host_id = ?').run(id);
    this.remember('host', id, null);
  }
  async listHosts() {
    return this.allById('host', this.st('SELECT id FROM host ORDER BY id').all());
  }

  // ---- templates
  async getTemplate(id: number) {
    return this.body<VmTemplate>('SELECT body FROM template WHERE id = ?', id);
  }
  async getTemplateByName(name: string, uid: number) {
    return this.body<VmTemplate>('SELECT body FROM template WHERE name = ? AND uid = ?', name, uid);
  }
  async putTemplate(t: VmTemplate) {
    this.st('INSERT INTO template(id, uid, name, body) VALUES(?,?,?,?) ON CONFLICT(id) DO UPDATE SET uid=excluded.uid, name=excluded.name, body=excluded.body').run(t.id, t.uid, t.name, JSON.stringify(t));
  }
  async deleteTemplate(id: number) {
    this.st('DELETE FROM template WHERE id = ?').run(id);
  }
  async listTemplates() {
    return this.bodies<VmTemplate>('SELECT body FROM template ORDER BY id');
  }

  // ---- users and groups
  async getUser(id: number) {
    return this.body<User>('SELECT body FROM user WHERE id = ?', id);
  }
  async getUserByName(name: string) {
    return this.body<User>('SELECT body FROM user WHERE name = ?', name);
  }
  async putUser(u: User) {
    this.st('INSERT INTO user(id, name, body) VALUES(?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, body=excluded.body').run(u.id, u.name, JSON.stringify(u));
  }
  async deleteUser(id: number) {
    this.st('DELETE FROM user WHERE id = ?').run(id);
  }
  async listUsers() {
    return this.bodies<User>('SELECT body FROM user ORDER BY id');
  }
  async getGroup(id: number) {
    return this.body<Group>('SELECT body FROM grp WHERE id = ?', id);
  }
  async getGroupByName(name: string) {
    return this.body<Group>('SELECT body FROM grp WHERE name = ?', name);
  }
  async putGroup(g: Group) {
    this.st('INSERT INTO grp(id, name, body) VALUES(?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, body=excluded.body').run(g.id, g.name, JSON.stringify(g));
  }
  async deleteGroup(id: number) {
    this.st('DELETE FROM grp WHERE id = ?').run(id);
  }
  async listGroups() {
    return this.bodies<Group>('SELECT body FROM grp ORDER BY id');
  }

  // ---- datastores
  async getDatastore(id: number) {
    return this.body<Datastore>('SELECT body FROM datastore WHERE id = ?', id);
  }
  async getDatastoreByName(name: string) {
    return this.body<Datastore>('SELECT body FROM datastore WHERE name = ?', name);
  }
  async putDatastore(ds: Datastore) {
    this.st('INSERT INTO datastore(id, name, body) VALUES(?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, body=excluded.body').run(ds.id, ds.name, JSON.stringify(ds));
  }
  async deleteDatastore(id: number) {
    this.st('DELETE FROM datastore WHERE id = ?').run(id);
  }
  async listDatastores() {
    return this.bodies<Datastore>('SELECT body FROM datastore ORDER BY id');
  }

  // ---- images
  async getImage(id: number) {
    return this.byId('image', id);
  }

  /** An image as stored (its body without VMS) with its VMS from image_vm. */
  private imageOf(body: string): Image {
    const img = JSON.parse(body) as Image;
    const vms = (this.st('SELECT vm_id FROM image_vm WHERE image_id = ? ORDER BY vm_id').all(img.id) as { vm_id: number }[]).map((r) => r.vm_id);
    return { ...img, vms };
  }
  async getImageByName(name: string, uid: number) {
    const r = this.st('SELECT id FROM image WHERE name = ? AND uid = ?').get(name, uid) as { id: number } | undefined;
    return r ? this.byId('image', r.id) : undefined;
  }
  async putImage(img: Image) {
    const before = this.byId('image', img.id)?.vms ?? [];
    // only the VMs that came or went are written, not the whole list
    if (before !== img.vms) {
      const insert = (vm: number) => this.st('INSERT OR IGNORE INTO image_vm(image_id, vm_id) VALUES(?, ?)').run(img.id, vm);
      if (startsWith(img.vms, before)) {
        // a VM took the image (the common case): no set of every VM to build
        for (let i = before.length; i < img.vms.length; i++) insert(img.vms[i]!);
      } else {
        const had = new Set(before);
        const has = new Set(img.vms);
        for (const vm of img.vms) if (!had.has(vm)) insert(vm);
        for (const vm of before) if (!has.has(vm)) this.st('DELETE FROM image_vm WHERE image_id = ? AND vm_id = ?').run(img.id, vm);
      }
    }
    const { vms: _vms, ...body } = img;
    this.st('INSERT INTO image(id, uid, name, body) VALUES(?,?,?,?) ON CONFLICT(id) DO UPDATE SET uid=excluded.uid, name=excluded.name, body=excluded.body').run(img.id, img.uid, img.name, JSON.stringify(body));
    this.remember('image', img.id, img);
  }
  async deleteImage(id: number) {
    this.st('DELETE FROM image WHERE id = ?').run(id);
    this.st('DELETE FROM image_vm WHERE image_id = ?').run(id);
    this.remember('image', id, null);
  }
  async listImages() {
    return this.allById('image', this.st('SELECT id FROM image ORDER BY id').all());
  }

  // ---- operations (the outbox)
  private opFromRow(r: Row): OperationRecord {
    return { ...(JSON.parse(r.body as string) as Omit<OperationRecord, 'id'>), id: r.id as number };
  }
  async addOperation(op: Omit<OperationRecord, 'id'>) {
    return Number(this.st('INSERT INTO operation(vm_id, body) VALUES(?, ?)').run(op.vmId, JSON.stringify(op)).lastInsertRowid);
  }
  async getOperation(id: number) {
    const r = this.st('SELECT id, body FROM operation WHERE id = ?').get(id) as Row | undefined;
    return r ? this.opFromRow(r) : undefined;
  }
  async putOperation(op: OperationRecord) {
    const { id, ...rest } = op;
    this.st('UPDATE operation SET body = ? WHERE id = ?').run(JSON.stringify(rest), id);
  }
  async deleteOperation(id: number) {
    this.st('DELETE FROM operation WHERE id = ?').run(id);
  }
  async operationsOfVm(vmId: number) {
    return (this.st('SELECT id, body FROM operation WHERE vm_id = ? ORDER BY id').all(vmId) as Row[]).map((r) => this.opFromRow(r));
  }
  async operationsOfImage(imageId: number) {
    const sql = "SELECT id, body FROM operation WHERE vm_id = -1 AND json_extract(body, '$.ds.imageId') = ? ORDER BY id";
    return (this.st(sql).all(imageId) as Row[]).map((r) => this.opFromRow(r));
  }
  async operationsAfter(id: number) {
    return (this.st('SELECT id, body FROM operation WHERE id > ? ORDER BY id').all(id) as Row[]).map((r) => this.opFromRow(r));
  }

  // ---- monitoring time series
  async addVmSample(vmId: number, s: Omit<Sample, 'id'>) {
    this.st('INSERT OR REPLACE INTO vm_monitoring(vm_id, ts, body) VALUES(?,?,?)').run(vmId, s.timestamp, JSON.stringify(s.values));
  }
  async vmSamples(vmId: number): Promise<Sample[]> {
    return (this.st('SELECT ts, body FROM vm_monitoring WHERE vm_id = ? ORDER BY ts').all(vmId) as Row[]).map((r) => ({
      id: vmId, timestamp: r.ts as number, values: JSON.parse(r.body as string) as Record<string, string>,
    }));
  }
  async addHostSample(hostId: number, s: Omit<Sample, 'id'>) {
    this.st('INSERT OR REPLACE INTO host_monitoring(host_id, ts, body) VALUES(?,?,?)').run(hostId, s.timestamp, JSON.stringify(s.values));
  }
  async hostSamples(hostId: number): Promise<Sample[]> {
    return (this.st('SELECT ts, body FROM host_monitoring WHERE host_id = ? ORDER BY ts').all(hostId) as Row[]).map((r) => ({
      id: hostId, timestamp: r.ts as number, values: JSON.parse(r.body as string) as Record<string, string>,
    }));
  }
  async purgeSamples(before: number) {
    this.st('DELETE FROM vm_monitoring WHERE ts < ?').run(before);
    this.st('DELETE FROM host_monitoring WHERE ts < ?').run(before);
  }
}
