/**
 * A template that cannot be read. The message says what was found and what was expected, and ends
 * the way OpenNebula's does: "at line L, columns C1:C2" (1-based, both columns inclusive).
 */
export class TemplateSyntaxError extends Error {
  constructor(
    problem: string,
    readonly line: number,
    readonly column: number,
    readonly endColumn: number = column,
  ) {
    super(`${problem} at line ${line}, columns ${column}:${endColumn}`);
    this.name = 'TemplateSyntaxError';
  }
}
