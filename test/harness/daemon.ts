import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeResponse, encodeCall } from '../../src/api/xmlrpc/codec.js';
import type { XmlRpcValue } from '../../src/api/xmlrpc/values.js';

const UP = resolve(import.meta.dirname, '../..');
/** The repository root, from the sources (vitest) or from their build in dist/test/harness/ (the benchmark). */
export const ROOT = basename(UP) === 'dist' ? dirname(UP) : UP;

/** Settings that make a test daemon quick: loopback, any free port, fast loops. */
const FAST = `
LISTEN_ADDRESS = "127.0.0.1"
PORT = 0
MONITORING_INTERVAL_HOST = 0.2
SCHED_INTERVAL = 0.2
LOG = [ LEVEL = "debug" ]
`;

/** The daemon log kept in `log`: its last part, so that a long run (the benchmark) does not hold it all. */
const LOG_KEEP = 1 << 20;

export interface TestDaemonOptions {
  /** Replaces the quick test settings above (the file's first setting of a name wins, so extraConfig cannot). */
  baseConfig?: string;
  /** Node.js options for the daemon's process, e.g. --cpu-prof (which NODE_OPTIONS does not accept). */
  nodeArgs?: string[];
}

/** A real oned, started from the built daemon (dist/) in a temporary data directory. */
export class TestDaemon {
  readonly dir: string;
  readonly dataDir: string;
  readonly authFile: string;
  private child: ChildProcess | null = null;
  private readonly nodeArgs: string[];
  port = 0;
  log = '';

  constructor(readonly extraConfig = '', opts: TestDaemonOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'nimbus-test-'));
    this.dataDir = join(this.dir, 'data');
    this.authFile = join(this.dir, 'one_auth');
    writeFileSync(join(this.dir, 'oned.conf'), (opts.baseConfig ?? FAST) + extraConfig);
    this.nodeArgs = opts.nodeArgs ?? [];
  }

  /** The daemon's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/RPC2`;
  }

  get session(): string {
    return readFileSync(this.authFile, 'utf8').trim();
  }

  /** Environment for the CLI: ONE_XMLRPC and ONE_AUTH pointing at this daemon. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, ONE_XMLRPC: this.endpoint, ONE_AUTH: this.authFile };
  }

  /** Starts the daemon (again, after a stop or a kill, on the same data directory). */
  async start(): Promise<void> {
    this.log = '';
    const child = spawn(process.execPath, [...this.nodeArgs, join(ROOT, 'dist/src/daemon/main.js'), '--config', join(this.dir, 'oned.conf'), '--data-dir', this.dataDir, '--foreground'], {
      env: { ...process.env, ONE_AUTH: this.authFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let started = false;
    this.port = await new Promise<number>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`oned did not start:\n${this.log}`)), 20_000);
      const onData = (b: Buffer) => {
        this.log += b.toString();
        if (this.log.length > 2 * LOG_KEEP) this.log = this.log.slice(-LOG_KEEP);
        // Searched only until found: searching the whole log on every later line would cost more each time.
        const m = !started && /"msg":"oned started"/.test(this.log) && /"address":\{"host":"[^"]*","port":(\d+)\}/.exec(this.log);
        if (m) {
          started = true;
          clearTimeout(timer);
          ok(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`oned exited with ${code}:\n${this.log}`));
      });
    });
  }

  /** kill -9: no chance to clean up, as when a machine dies. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  /** A clean stop (SIGTERM). */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await gone;
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** An XML-RPC call with this daemon's oneadmin session; returns OpenNebula's response array. */
  async rpc(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue[]> {
    return this.rpcAs(this.session, method, ...params);
  }

  async rpcAs(session: string, method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue[]> {
    const res = await fetch(this.endpoint, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: encodeCall(method, [session, ...params]) });
    return decodeResponse(await res.text()) as XmlRpcValue[];
  }

  /** A call that must succeed: its value. */
  async ok(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    const r = await this.rpc(method, ...params);
    if (r[0] !== true) throw new Error(`${method} failed: ${String(r[1])} (code ${String(r[2])})`);
    return r[1];
  }
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
