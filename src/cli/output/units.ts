/** Ruby's String#to_i: the leading integer of a string, 0 when there is none. */
export function toInt(s: string | undefined | null): number {
  const v = parseInt(s ?? '', 10);
  return Number.isNaN(v) ? 0 : v;
}

/** Ruby's String#to_f. */
export function toFloat(s: string | undefined | null): number {
  const v = parseFloat(s ?? '');
  return Number.isNaN(v) ? 0 : v;
}

/** Ruby's Float#to_s: a decimal point even when whole (`2.0`). */
export function rubyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** Ruby's Float#round: halves go away from zero. */
function rubyRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

const SUFFIXES = ['K', 'M', 'G', 'T'] as const;
export type Unit = (typeof SUFFIXES)[number];

/**
 * OpenNebula's unit_to_str: `value` in `unit`, scaled while above 1024 (so 1024M stays 1024M),
 * one decimal at most (512M, 1G, 1.5G). With `kilobytes` the raw number is printed.
 */
export function unitToStr(value: number, unit: Unit = 'K', kilobytes = false): string {
  if (kilobytes) return String(value);
  let i = SUFFIXES.indexOf(unit);
  let v = value;
  while (v > 1024 && i < SUFFIXES.length - 1) {
    v /= 1024;
    i++;
  }
  v = rubyRound(v * 10) / 10;
  return `${v}${SUFFIXES[i]}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `'%3dd %02dh%02dm'` (and `%02ds` with seconds): how long something has lasted. */
export function periodToStr(seconds: number, withSeconds = true): string {
  const s = Math.trunc(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const base = `${String(days).padStart(3)}d ${pad2(hours)}h${pad2(minutes)}m`;
  return withSeconds ? `${base}${pad2(s % 60)}s` : base;
}

/** `'%3dh%02dm%02ds'`: a duration in hours (the history PROLOG column). */
export function shortPeriodToStr(seconds: number): string {
  const s = Math.trunc(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return `${String(hours).padStart(3)}h${pad2(minutes)}m${pad2(s % 60)}s`;
}

export interface TimeFormat {
  seconds?: boolean;
  hours?: boolean;
  years?: boolean;
}

/** OpenNebula's time_to_str: `MM/DD HH:MM:SS` in local time, `-` for 0. */
export function timeToStr(epoch: number, fmt: TimeFormat = {}): string {
  const { seconds = true, hours = true, years = false } = fmt;
  if (Math.trunc(epoch) === 0) return '-';
  const d = new Date(Math.trunc(epoch) * 1000);
  let out = `${pad2(d.getMonth() + 1)}/${pad2(d.getDate())}`;
  if (years) out += `/${pad2(d.getFullYear() % 100)}`;
  if (hours) out += ` ${pad2(d.getHours())}:${pad2(d.getMinutes())}${seconds ? `:${pad2(d.getSeconds())}` : ''}`;
  return out;
}

/** `Yes` for 1, `No` otherwise. */
export function booleanToStr(s: string | undefined): string {
  return toInt(s) === 1 ? 'Yes' : 'No';
}

const LOCK_LEVELS = ['None', 'Use', 'Manage', 'Admin', 'All'];

/** The LOCK line of show: the stored level's name. */
export function lockLevelToStr(s: string | undefined): string {
  return LOCK_LEVELS[toInt(s)] ?? '-';
}
