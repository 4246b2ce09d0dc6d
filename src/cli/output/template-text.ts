import type { XmlObject, XmlValue } from '../xml.js';

function quote(v: string): string {
  return `"${v.replace(/"/g, '\\"')}"`;
}

function vectorText(name: string, v: XmlObject): string {
  const subs: string[] = [];
  for (const [k, sv] of Object.entries(v)) {
    for (const one of Array.isArray(sv) ? sv : [sv]) {
      // A nested element or an empty one has no text of its own: OpenNebula prints `KEY=`.
      subs.push(`  ${k}=${typeof one === 'string' && one !== '' ? quote(one) : ''}`);
    }
  }
  return `${name}=[\n${subs.join(',\n')} ]`;
}

/**
 * An XML template section (`<TEMPLATE>`, `<USER_TEMPLATE>`) in OpenNebula's template syntax, as `show`
 * prints it and the editor of `update` starts from: `KEY="value"` and `KEY=[\n  SUB="value" ]`.
 */
export function templateText(section: XmlValue | undefined): string {
  if (section === undefined || typeof section === 'string' || Array.isArray(section)) return '';
  const lines: string[] = [];
  for (const [k, v] of Object.entries(section)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (typeof one === 'string') {
        if (one !== '') lines.push(`${k}=${quote(one)}`);
      } else if (!Array.isArray(one)) {
        lines.push(vectorText(k, one));
      }
    }
  }
  return lines.join('\n');
}
