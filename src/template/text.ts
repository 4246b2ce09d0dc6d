import type { Attribute, TemplateVector, Template } from './types.js';

/**
 * Quotes a value for the native syntax. Only a backslash that the parser would read as an escape
 * (before `"` or `\`, or closing the string) is doubled, so paths like `C:\dir` print as written.
 */
export function quote(value: string): string {
  return `"${value.replace(/\\(?=["\\]|$)|"/g, (m) => (m === '"' ? '\\"' : '\\\\'))}"`;
}

function vectorToText(name: string, v: TemplateVector): string {
  const keys = Object.keys(v).sort();
  if (keys.length === 0) return `${name}=[ ]`;
  return `${name}=[\n${keys.map((k) => `  ${k}=${quote(v[k])}`).join(',\n')} ]`;
}

function attributeToText(a: Attribute): string {
  return typeof a.value === 'string' ? `${a.name}=${quote(a.value)}` : vectorToText(a.name, a.value);
}

/**
 * Prints a template the way OpenNebula's CLI does (`NAME="value"`, vectors as `DISK=[\n  K="v",\n  L="w" ]`),
 * one attribute per line, in the template's order; parseTemplate reads it back unchanged.
 */
export function templateToText(t: Template): string {
  return t.map(attributeToText).join('\n');
}
