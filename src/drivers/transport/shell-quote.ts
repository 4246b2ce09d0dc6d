/** One argument for a POSIX shell command line: single-quoted, with embedded quotes spelled '\''. */
export function shellQuote(arg: string): string {
  // Plain words stay readable in logs and error messages.
  if (/^[A-Za-z0-9_\/.,:=@%+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
