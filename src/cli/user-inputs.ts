import { CliError } from './errors.js';
import { rubyFloat } from './output/units.js';

/** How the prompts talk to the user; the real programs use the terminal, tests a scripted stream. */
export interface PromptIO {
  write(text: string): void;
  /** The next typed line, or undefined at end of input. */
  line(): Promise<string | undefined>;
  /** Like line(), without echo (passwords). */
  hidden(): Promise<string | undefined>;
  /** Opens an editor for `<<EDITOR>>` answers. */
  edit(initial: string): Promise<string>;
}

interface Spec {
  key: string;
  raw: string;
  optional: boolean;
  type: string;
  description: string;
  params: string;
  initial: string;
}

const NOT_AN_OPTION = '\0';
const INT_EXP = /^-?\d+$/;
const FLOAT_EXP = /^-?\d+(\.\d+)?$/;

/** `M|type|description|params|default` (params and default may be absent together). */
function parseSpec(key: string, raw: string): Spec {
  const parts = raw.split('|');
  if (parts.length < 3) {
    throw new CliError(`Malformed user input ${key}: "${raw}". It needs at least 3 parts separated by '|': M|type|description`);
  }
  if (parts.length > 3 && parts.length !== 5) {
    throw new CliError(`Malformed user input ${key}: "${raw}". It needs 5 parts separated by '|': M|type|description|params|default`);
  }
  const [mandatory, type, description, params = '', initial = ''] = parts.map((p) => p.trim());
  return { key, raw, optional: mandatory === 'O', type, description, params, initial };
}

class Asker {
  constructor(
    private readonly io: PromptIO,
    private readonly spec: Spec,
  ) {}

  private async read(prompt: string, hidden = false): Promise<string> {
    this.io.write(prompt);
    const line = await (hidden ? this.io.hidden() : this.io.line());
    if (line === undefined) {
      throw new CliError(
        `Input ended before a value for ${this.spec.key} was given; pass it with --user-inputs ${this.spec.key}=VALUE`,
      );
    }
    return line;
  }

  /** Asks until `valid` accepts the answer; an optional input may be left empty (undefined: not sent). */
  private async until(prompt: string, valid: (a: string) => boolean, pick = (a: string) => a): Promise<string | undefined> {
    for (;;) {
      const typed = await this.read(prompt);
      const answer = typed === '' ? this.spec.initial : pick(typed);
      if (answer === '' && this.spec.optional) return undefined;
      if (valid(answer)) return answer;
    }
  }

  private range(header: string, float: boolean): Promise<string | undefined> {
    const [lo, hi] = this.spec.params.split('..');
    if (lo === undefined || hi === undefined || lo === '' || hi === '') {
      throw new CliError(`Malformed user input ${this.spec.key}: "${this.spec.raw}". Its parameters must be min..max`);
    }
    const [min, max] = float ? [parseFloat(lo), parseFloat(hi)] : [parseInt(lo, 10), parseInt(hi, 10)];
    const show = float ? rubyFloat : String;
    const exp = float ? FLOAT_EXP : INT_EXP;
    const kind = float ? 'Float' : 'Integer';
    return this.until(`${header}${kind} in the range [${show(min)}..${show(max)}]: `, (a) => {
      const v = parseFloat(a);
      return exp.test(a) && v >= min && v <= max;
    });
  }

  private list(header: string, multiple: boolean): Promise<string | undefined> {
    const options = this.spec.params.split(',');
    options.forEach((o, i) => this.io.write(`    ${i}  ${o}\n`));
    this.io.write('\n');
    const split = (s: string): string[] => (multiple ? s.split(',') : [s]);
    // Typed selection numbers -> option values; anything else never matches an option.
    const pick = (typed: string): string =>
      split(typed).map((t) => (/^\d+$/.test(t.trim()) ? options[Number(t.trim())] ?? NOT_AN_OPTION : NOT_AN_OPTION)).join(',');
    const valid = (a: string): boolean => split(a).every((v) => options.includes(v));
    const what = multiple ? 'Please type the selection numbers, separated by commas: ' : 'Please type the selection number: ';
    return this.until(header + what, valid, pick);
  }

  async ask(): Promise<string | undefined> {
    const { key, description, initial, type } = this.spec;
    this.io.write(`  * (${key}) ${description}\n`);
    const header = '    ' + (initial !== '' ? `Press enter for default (${initial}). ` : '');
    const byType: Record<string, () => Promise<string | undefined>> = {
      text: () => this.text(header, false),
      text64: () => this.text(header, true),
      boolean: async () => {
        const a = (await this.read(header)) || initial;
        if (a !== 'YES' && a !== 'NO') throw new CliError(`Invalid boolean '${a}' for ${key}: answer YES or NO`);
        return a;
      },
      password: async () => (await this.read(`${header}Password: `, true)) || initial,
      number: () => this.until(`${header}Integer: `, (a) => INT_EXP.test(a)),
      'number-float': () => this.until(`${header}Float: `, (a) => FLOAT_EXP.test(a)),
      range: () => this.range(header, false),
      'range-float': () => this.range(header, true),
      list: () => this.list(header, false),
      'list-multiple': () => this.list(header, true),
      fixed: async () => {
        this.io.write(`    Fixed value of (${initial}). Cannot be changed\n`);
        return initial;
      },
    };
    const asker = byType[type];
    if (!asker) {
      throw new CliError(`Wrong type "${type}" for user input ${key}: "${this.spec.raw}". Use one of ${Object.keys(byType).join(', ')}`);
    }
    return asker();
  }

  private async text(header: string, base64: boolean): Promise<string> {
    let a = await this.read(header);
    if (a === '<<EDITOR>>') a = await this.io.edit('');
    if (a === '') a = this.spec.initial;
    return base64 ? Buffer.from(a).toString('base64') : a;
  }
}

/**
 * Asks for each USER_INPUTS entry not in `given`, as OpenNebula's CLI does when instantiating a
 * template; returns the answers in order. Optional inputs left empty are not returned.
 */
export async function askUserInputs(
  inputs: [string, string][],
  given: ReadonlySet<string>,
  io: PromptIO,
): Promise<[string, string][]> {
  const pending = inputs.filter(([k]) => !given.has(k));
  if (pending.length === 0) return [];
  io.write('There are some parameters that require user input. Use the string <<EDITOR>> to launch an editor (e.g. for multi-line inputs)\n');
  const answers: [string, string][] = [];
  for (const [key, raw] of pending) {
    const answer = await new Asker(io, parseSpec(key, raw)).ask();
    if (answer !== undefined) answers.push([key, answer]);
  }
  return answers;
}

/** Answers as template lines (`KEY = "value"`), sent in the extra template of instantiate. */
export function userInputsText(answers: [string, string][]): string {
  return answers.map(([k, v]) => `${k} = "${v.replace(/"/g, '\\"')}"\n`).join('');
}

/** `--user-inputs KEY=VAL,KEY2=VAL2` -> the same pairs. */
export function parseUserInputsOption(value: string): [string, string][] {
  return value.split(',').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--user-inputs expects KEY=VALUE pairs separated by commas; "${pair}" has no KEY=`);
    return [pair.slice(0, eq).trim(), pair.slice(eq + 1)];
  });
}
