import type { Command, OptionValues } from 'commander';
import { parseMemory } from './args.js';
import { CliError } from './errors.js';

/** The options that build a VM template on the command line (onevm create, onetemplate create/instantiate). */
const TEMPLATE_KEYS = ['cpu', 'vcpu', 'arch', 'memory', 'disk', 'nic', 'raw', 'vnc', 'netContext', 'context', 'boot'];

/** Adds `--cpu`, `--memory`, `--disk`, ... with OpenNebula's names and meanings. */
export function templateOptions(c: Command): Command {
  return c
    .option('--cpu <cpu>', 'CPU percentage reserved for the VM (1=100% one CPU)')
    .option('--vcpu <vcpu>', 'Number of virtualized CPUs')
    .option('--arch <arch>', 'Architecture of the VM, e.g.: i386 or x86_64')
    .option('--memory <memory>', "Memory amount given to the VM. By default the unit is megabytes. To use gigabytes add a 'g', floats can be used: 8g=8192, 0.5g=512")
    .option('--disk <disks>', 'Disks to attach. To use an image owned by other user use user[disk]. Add any additional attributes separated by \':\' in the shape of KEY=VALUE, e.g. image0:size=1000:target=vda,image1:target=vdb')
    .option('--nic <networks>', 'Networks to attach. To use a network owned by other user use user[network]. Additional attributes are supported like with --disk; "auto" lets OpenNebula pick the network')
    .option('--raw <string>', 'Raw string to add to the template. Not to be confused with the RAW attribute')
    .option('--vnc', 'Add VNC server to the VM')
    .option('--vnc-password <password>', 'VNC password')
    .option('--vnc-listen <ip>', 'VNC IP where to listen for connections. By default is 0.0.0.0 (all interfaces).')
    .option('--vnc-keymap <keymap>', 'VNC keyboard layout')
    .option('--net-context', 'Add network contextualization parameters')
    .option('--context <lines>', 'Lines to add to the context section, separated by commas')
    .option('--boot <devices>', 'Set boot device list e.g. disk0,disk2,nic0')
    .option('--dry', 'Just print the template');
}

/** True when any template-building option was given (they exclude a template file). */
export function templateOptionsUsed(opts: OptionValues): boolean {
  return TEMPLATE_KEYS.some((k) => opts[k] !== undefined);
}

/** `user[object]` or `object`. */
function userObject(spec: string): [string | undefined, string] {
  const m = /^([^[]+)(?:\[([^\]]+)\])?$/.exec(spec);
  if (!m) throw new CliError(`"${spec}" malformed; write NAME, ID or USER[NAME]`);
  return m[2] !== undefined ? [m[1], m[2]] : [undefined, m[1]];
}

/** `DISK=[...]`/`NIC=[...]` sections from `--disk`/`--nic` items such as `img:size=1000` or `alice[net]`. */
function diskOrNic(list: string, section: 'DISK' | 'NIC', ref: 'IMAGE' | 'NETWORK'): string {
  let out = '';
  for (const item of list.split(',')) {
    const [objSpec, ...rest] = item.split(':');
    // A piece without '=' continues the previous value: MAC addresses contain ':'.
    const attrs: string[] = [];
    for (const piece of rest) {
      if (piece.includes('=') || attrs.length === 0) attrs.push(piece);
      else attrs[attrs.length - 1] += `:${piece}`;
    }
    const [user, object] = userObject(objSpec);
    out += `${section}=[\n`;
    if (object.toLowerCase() === 'auto') {
      out += `  NETWORK_MODE="${object}"\n`;
    } else {
      if (user !== undefined) out += `  ${ref}_UNAME="${user}",\n`;
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        out += `  ${k.toUpperCase()}="${v}",\n`;
      }
      out += /^\d+$/.test(object) ? `  ${ref}_ID=${object}\n` : `  ${ref}="${object}"\n`;
    }
    out += ']\n';
  }
  return out;
}

/** The template text that the options describe, in the syntax OpenNebula's CLI generates. */
export function templateFromOptions(opts: OptionValues): string {
  let t = '';
  if (opts.name !== undefined) t += `NAME="${opts.name}"\n`;
  if (opts.arch !== undefined || opts.boot !== undefined) {
    const os: string[] = [];
    if (opts.arch !== undefined) os.push(`  ARCH = "${opts.arch}"`);
    if (opts.boot !== undefined) os.push(`  BOOT = "${opts.boot}"`);
    t += `OS = [\n${os.join(',\n')} ]\n`;
  }
  if (opts.cpu !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(opts.cpu)) throw new CliError(`--cpu "${opts.cpu}" is not a number; give e.g. 1 or 0.5`);
    t += `CPU=${opts.cpu}\n`;
  }
  if (opts.vcpu !== undefined) {
    if (!/^\d+$/.test(opts.vcpu)) throw new CliError(`--vcpu "${opts.vcpu}" is not a whole number`);
    t += `VCPU=${opts.vcpu}\n`;
  }
  if (opts.memory !== undefined) t += `MEMORY=${parseMemory(opts.memory)}\n`;
  if (opts.raw !== undefined) t += `${opts.raw}\n`;
  if (opts.disk !== undefined) t += diskOrNic(opts.disk, 'DISK', 'IMAGE');
  if (opts.nic !== undefined) t += diskOrNic(opts.nic, 'NIC', 'NETWORK');
  if (opts.vnc) {
    t += `GRAPHICS=[ TYPE="vnc", LISTEN="${opts.vncListen ?? '0.0.0.0'}"`;
    if (opts.vncPassword !== undefined) t += `, PASSWD="${opts.vncPassword}"`;
    if (opts.vncKeymap !== undefined) t += `, KEYMAP="${opts.vncKeymap}"`;
    t += ' ]\n';
  }
  const context: string[] = [];
  if (opts.netContext) context.push('NETWORK = "YES"');
  if (opts.context !== undefined) context.push(...String(opts.context).split(','));
  if (context.length > 0) t += `CONTEXT=[\n${context.map((l) => `  ${l}`).join(',\n')}\n]\n`;
  return t;
}
