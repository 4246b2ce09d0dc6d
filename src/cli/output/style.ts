const BOLD = '\x1b[1m';
const UNDERLINE = '\x1b[4m';
const RESET = '\x1b[0m';

/** A header line: bold (and underlined) on a terminal, plain text otherwise, as OpenNebula prints it. */
export function ttyHeader(text: string, tty: boolean, underline: boolean): string {
  if (!tty) return text;
  return BOLD + (underline ? UNDERLINE : '') + text + RESET;
}

/** A section title padded to 80 columns (`'%-80s'`). */
export function sectionHeader(title: string, tty: boolean, underline = false): string {
  return ttyHeader(title.padEnd(80), tty, underline);
}

/** A `'%-Ns: %-20s'` line of a show page. */
export function labelLine(label: string, value: string | undefined, labelWidth = 20): string {
  return `${label.padEnd(labelWidth)}: ${(value ?? '').padEnd(20)}`;
}
