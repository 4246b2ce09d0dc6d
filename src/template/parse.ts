import type { Attribute, Template, TemplateVector } from './types.js';
import { TemplateSyntaxError } from './syntax-error.js';
import { templateFromXml } from './xml.js';

export { TemplateSyntaxError } from './syntax-error.js';

const NAME_CHAR = /[A-Za-z0-9_]/;
/** Characters that end an unquoted value (OpenNebula's lexer: `[^=#[:blank:]\n,\[\]]+`). */
const UNQUOTED_STOP = new Set(['=', '#', ' ', '\t', '\n', '\r', ',', '[', ']']);
/** A value holding this would break the CDATA sections OpenNebula once stored templates in. */
const CDATA_END = ']]>';

/**
 * Parses OpenNebula's native template syntax: `NAME = value`, `NAME = "quoted"`, `NAME = [ K = V, ... ]`,
 * `NAME =` (empty), `#` comments. Names are upper-cased; repeated attributes keep their order.
 */
export function parseTemplate(text: string): Template {
  return new TemplateReader(text).readTemplate();
}

/** Parses a template in either form the API accepts: XML (first non-blank character `<`) or native. */
export function parseTemplateAny(text: string): Template {
  return text.trimStart().startsWith('<') ? templateFromXml(text) : parseTemplate(text);
}

/** A hand-written scanner and parser in one: the grammar is small and errors need exact positions. */
class TemplateReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Line of the last unquoted single value: a name right after it on that line is likely its second word. */
  private unquotedLine = 0;

  constructor(private readonly text: string) {}

  readTemplate(): Template {
    const attributes: Attribute[] = [];
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) return attributes;
      attributes.push(this.readAttribute());
    }
  }

  private readAttribute(): Attribute {
    const nameLine = this.line;
    const name = this.readName('an attribute name');
    this.skipSpace();
    const hint = nameLine === this.unquotedLine ? ' (a value with blanks must be "quoted")' : '';
    this.expect('=', `'=' after attribute name ${name}${hint}`);
    this.skipBlanks();
    const c = this.peek();
    if (c === '[') {
      this.advance();
      return { name, value: this.readVectorBody(name) };
    }
    if (this.atEnd() || c === '\n' || c === '\r' || c === '#') return { name, value: '' };
    if (c !== '"') this.unquotedLine = this.line;
    return { name, value: this.readValue(`a value for ${name}`) };
  }

  /** Reads `K = V, ... ]` after the opening bracket; the first of repeated sub-attributes wins, as in OpenNebula. */
  private readVectorBody(name: string): TemplateVector {
    const openLine = this.line;
    const vector: TemplateVector = {};
    this.skipSpace();
    if (this.peek() === ']') {
      this.advance();
      return vector;
    }
    for (;;) {
      this.failIfEnd(`']' to close vector ${name} opened at line ${openLine}`);
      const key = this.readName(`a sub-attribute name in vector ${name}`);
      this.skipSpace();
      this.expect('=', `'=' after ${name}/${key}`);
      this.skipBlanks();
      const value = this.endsEmptySubValue() ? '' : this.readValue(`a value for ${name}/${key}`);
      if (!Object.hasOwn(vector, key)) vector[key] = value;
      this.skipSpace();
      this.failIfEnd(`',' or ']' to close vector ${name} opened at line ${openLine}`);
      const sep = this.peek();
      if (sep === ']') {
        this.advance();
        return vector;
      }
      this.expect(',', `',' or ']' after ${name}/${key}`);
      this.skipSpace();
    }
  }

  private endsEmptySubValue(): boolean {
    const c = this.peek();
    return c === ',' || c === ']' || c === '\n' || c === '\r' || c === '#';
  }

  private readValue(expected: string): string {
    const startLine = this.line;
    const startColumn = this.column();
    const value = this.peek() === '"' ? this.readQuoted() : this.readUnquoted(expected);
    if (value.includes(CDATA_END)) {
      throw new TemplateSyntaxError(
        `found '${CDATA_END}' inside a value, expected a value without '${CDATA_END}' (remove or split it)`,
        startLine,
        startColumn,
        this.line === startLine ? this.column() - 1 : startColumn,
      );
    }
    return value;
  }

  /** `\"` gives `"` and `\\` gives `\`; any other backslash is kept, so `C:\dir` needs no escaping. */
  private readQuoted(): string {
    const startLine = this.line;
    const startColumn = this.column();
    this.advance();
    let out = '';
    let chunkStart = this.pos;
    while (!this.atEnd()) {
      const c = this.text[this.pos];
      if (c === '"') {
        out += this.text.slice(chunkStart, this.pos);
        this.advance();
        return out;
      }
      if (c === '\\' && (this.text[this.pos + 1] === '"' || this.text[this.pos + 1] === '\\')) {
        out += this.text.slice(chunkStart, this.pos) + this.text[this.pos + 1];
        this.advance();
        this.advance();
        chunkStart = this.pos;
        continue;
      }
      this.advance();
    }
    throw new TemplateSyntaxError(
      `found end of input inside a quoted value, expected a closing '"' for the quote opened here`,
      startLine,
      startColumn,
    );
  }

  private readUnquoted(expected: string): string {
    const start = this.pos;
    while (!this.atEnd() && !UNQUOTED_STOP.has(this.text[this.pos])) this.pos++;
    if (this.pos === start) this.fail(expected);
    return this.text.slice(start, this.pos);
  }

  private readName(expected: string): string {
    const start = this.pos;
    while (!this.atEnd() && NAME_CHAR.test(this.text[this.pos])) this.pos++;
    if (this.pos === start) this.fail(`${expected} (letters, digits and '_')`);
    return this.text.slice(start, this.pos).toUpperCase();
  }

  private expect(c: string, expected: string): void {
    if (this.peek() !== c) this.fail(expected);
    this.advance();
  }

  private failIfEnd(expected: string): void {
    if (this.atEnd()) this.fail(expected);
  }

  /** Throws a syntax error describing the token at the current position. */
  private fail(expected: string): never {
    const column = this.column();
    const { description, length } = this.describeHere();
    throw new TemplateSyntaxError(
      `found ${description}, expected ${expected}`,
      this.line,
      column,
      column + Math.max(length, 1) - 1,
    );
  }

  private describeHere(): { description: string; length: number } {
    if (this.atEnd()) return { description: 'end of input', length: 0 };
    const c = this.text[this.pos];
    if (c === '\n' || c === '\r') return { description: 'end of line', length: 1 };
    let end = this.pos;
    while (end < this.text.length && NAME_CHAR.test(this.text[end])) end++;
    if (end > this.pos) return { description: `'${this.text.slice(this.pos, end)}'`, length: end - this.pos };
    return { description: c === '"' ? 'a quoted value' : `'${c}'`, length: 1 };
  }

  /** Skips blanks, newlines and comments: everything that may separate tokens. */
  private skipSpace(): void {
    while (!this.atEnd()) {
      const c = this.text[this.pos];
      if (c === '#') {
        while (!this.atEnd() && this.text[this.pos] !== '\n') this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.advance();
      } else {
        return;
      }
    }
  }

  /** Skips blanks on the current line only: a newline right after '=' means an empty value. */
  private skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  private advance(): void {
    if (this.text[this.pos] === '\n') {
      this.line++;
      this.lineStart = this.pos + 1;
    }
    this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private column(): number {
    return this.pos - this.lineStart + 1;
  }
}
