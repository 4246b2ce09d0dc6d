import { CliError } from '../errors.js';
import { csvLine } from './csv.js';
import { ttyHeader } from './style.js';

/** One column of a list: OpenNebula's name, width and alignment, and how a row fills it. */
export interface Column<R> {
  name: string;
  desc: string;
  size: number;
  /** Left-aligned (names, users); numbers are right-aligned. */
  left?: boolean;
  /** Grow to the widest value instead of truncating to `size`. */
  adjust?: boolean;
  value: (row: R) => string | number | undefined;
}

export interface TableOptions {
  /** `-l COL,COL`: the columns to show instead of the defaults. */
  list?: string[];
  csv?: boolean;
  csvDel?: string;
  noHeader?: boolean;
  /** `--filter COL=VALUE,...` */
  filter?: string[];
  /** `--operator AND|OR` between filters. */
  operator?: string;
  /** Bold headers and coloured states, as on a terminal. */
  tty?: boolean;
}

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';
const OK_STATES = new Set(['runn', 'rdy', 'on']);
const BAD_STATES = new Set(['fail', 'err', 'error']);

function colorState(cell: string): string {
  const s = cell.trim();
  if (OK_STATES.has(s)) return GREEN + cell + RESET;
  if (BAD_STATES.has(s)) return RED + cell + RESET;
  return cell;
}

/** Ruby's `%-N.Ns` / `%N.Ns`: pad to `size`, cut longer values unless the column adjusts. */
function cell(value: string, size: number, left: boolean, cut: boolean): string {
  const v = cut ? value.slice(0, size) : value;
  return left ? v.padEnd(size) : v.padStart(size);
}

const FILTER_RE = /^(.*?)(!=|<=|>=|=|<|>|~)(.*)$/;

type Compare = (a: string, b: string) => boolean;
const COMPARE: Record<string, Compare> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '~': (a, b) => a.includes(b),
};

function filterRows(rows: string[][], names: string[], filter: string[], operator = 'AND'): string[][] {
  const stems = filter.map((expr) => {
    const m = FILTER_RE.exec(expr);
    if (!m) throw new CliError(`Filter '${expr}' is not COLUMN<op>VALUE; use one of = != < <= > >= ~`);
    const index = names.indexOf(m[1].toUpperCase());
    if (index < 0) throw new CliError(`Column '${m[1]}' not found; filter on one of ${names.join(', ')}`);
    return { index, compare: COMPARE[m[2]], right: m[3] };
  });
  const any = operator.toUpperCase() === 'OR';
  return rows.filter((r) => {
    const hits = stems.map((s) => s.compare(r[s.index], s.right));
    return any ? hits.some(Boolean) : hits.every(Boolean);
  });
}

/** The names a table can show, for `--describe` and error messages. */
export function describeColumns<R>(columns: Column<R>[]): string {
  return columns.map((c) => `${c.name.padEnd(20)}: ${c.desc.padEnd(20)}\n`).join('');
}

/**
 * A list the way OpenNebula's CLI prints it: header, one line per row, columns joined by one space,
 * each cut or padded to its width; `--csv` prints every value whole.
 */
export function renderTable<R>(columns: Column<R>[], defaults: string[], rows: R[], opts: TableOptions = {}): string {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const shown = (opts.list ?? defaults).map((n) => n.toUpperCase());
  for (const n of shown) {
    if (!byName.has(n)) {
      throw new CliError(`Column ${n} not defined. Available columns: ${columns.map((c) => c.name).join(', ')}`);
    }
  }
  // Filters may name any column, shown or not.
  const names = [...shown, ...columns.map((c) => c.name).filter((n) => !shown.includes(n))];
  let data = rows.map((r) => names.map((n) => String(byName.get(n)!.value(r) ?? '')));
  if (opts.filter && opts.filter.length > 0) data = filterRows(data, names, opts.filter, opts.operator);

  if (opts.csv) {
    const del = opts.csvDel ?? ',';
    const lines = opts.noHeader ? [] : [csvLine(shown, del)];
    for (const r of data) lines.push(csvLine(r.slice(0, shown.length), del));
    return lines.map((l) => l + '\n').join('');
  }

  const sizes = shown.map((n, i) => {
    const c = byName.get(n)!;
    if (!c.adjust) return c.size;
    return Math.max(c.size, ...data.map((r) => r[i].length));
  });
  const fmt = (v: string, i: number): string => {
    const c = byName.get(shown[i])!;
    return cell(v, sizes[i], c.left === true, c.adjust !== true);
  };

  let out = '';
  if (!opts.noHeader) out += ttyHeader(shown.map(fmt).join(' '), opts.tty === true, true) + '\n';
  for (const r of data) {
    const cells = shown.map((n, i) => {
      const s = fmt(r[i], i);
      return opts.tty && n === 'STAT' ? colorState(s) : s;
    });
    out += cells.join(' ').trimEnd() + '\n';
  }
  return out;
}
