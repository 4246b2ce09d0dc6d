import { labelLine, sectionHeader } from './style.js';

/** Builds a `show` page line by line: section headers padded to 80, `label: value` lines, tables. */
export class Page {
  private readonly lines: string[] = [];

  constructor(
    readonly tty: boolean,
    private readonly labelWidth = 20,
  ) {}

  line(text = ''): this {
    this.lines.push(text);
    return this;
  }

  /** A section title; the first one of a page is underlined on a terminal. */
  header(title: string, underline = false): this {
    return this.line(sectionHeader(title, this.tty, underline));
  }

  /** A title printed as is, not padded (NUMA NODES, TOPOLOGY, ...). */
  title(text: string): this {
    return this.line(this.tty ? `\x1b[1m${text}\x1b[0m` : text);
  }

  label(label: string, value: string | undefined): this {
    return this.line(labelLine(label, value, this.labelWidth));
  }

  /** Several lines at once: a rendered table or a template text. */
  block(text: string): this {
    for (const l of text.replace(/\n$/, '').split('\n')) this.lines.push(l);
    return this;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}
