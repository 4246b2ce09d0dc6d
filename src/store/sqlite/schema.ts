/** The SQLite schema. Bodies are JSON documents of the domain objects; columns hold what queries filter on. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS pool_seq (pool TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vm (
  id INTEGER PRIMARY KEY, uid INTEGER NOT NULL, gid INTEGER NOT NULL, name TEXT NOT NULL,
  state INTEGER NOT NULL, lcm_state INTEGER NOT NULL, resched INTEGER NOT NULL,
  host_id INTEGER, cpu INTEGER NOT NULL, mem INTEGER NOT NULL,
  body TEXT NOT NULL, search TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS vm_state ON vm(state);
-- covers pool listings (ids by state and owner) without reading the large VM rows
CREATE INDEX IF NOT EXISTS vm_listing ON vm(id, state, uid, gid);
-- covers host usage (CPU_USAGE, MEM_USAGE, VMS) without reading the VM rows
CREATE INDEX IF NOT EXISTS vm_host_usage ON vm(host_id, id, cpu, mem) WHERE host_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS vm_uid ON vm(uid);
CREATE TABLE IF NOT EXISTS host (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS template (
  id INTEGER PRIMARY KEY, uid INTEGER NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS user (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS grp (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS datastore (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS image (
  id INTEGER PRIMARY KEY, uid INTEGER NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (uid, name)
);
-- the VMs using an image (its VMS), kept apart from its body: one base image may serve every VM
CREATE TABLE IF NOT EXISTS image_vm (
  image_id INTEGER NOT NULL, vm_id INTEGER NOT NULL, PRIMARY KEY (image_id, vm_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS operation (
  id INTEGER PRIMARY KEY AUTOINCREMENT, vm_id INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS operation_vm ON operation(vm_id);
CREATE TABLE IF NOT EXISTS vm_monitoring (
  vm_id INTEGER NOT NULL, ts INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (vm_id, ts)
);
CREATE TABLE IF NOT EXISTS host_monitoring (
  host_id INTEGER NOT NULL, ts INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (host_id, ts)
);
`;

/** First ids of each pool (OpenNebula reserves users 0-1, groups 0-99 and datastores 0-99 for its own). */
export const FIRST_IDS: Record<string, number> = { vm: 0, host: 0, template: 0, user: 2, group: 100, datastore: 100, image: 0 };
