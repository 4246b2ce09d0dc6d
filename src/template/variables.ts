/** A `$VAR`, `$VAR[SUB]` or `$VAR[SUB, KEY=VALUE]` reference in a CONTEXT value. */
export interface VariableRef {
  name: string;
  sub?: string;
  filter?: { key: string; value: string };
}

// $NAME, then an optional [SUB] or [SUB, KEY = VALUE] / [SUB, KEY = "VALUE"]
const REFERENCE = /\$([A-Za-z_][A-Za-z0-9_]*)(?:\[\s*([A-Za-z0-9_]+)\s*(?:,\s*([A-Za-z0-9_]+)\s*=\s*(?:"([^"]*)"|([^\]\s]*))\s*)?\])?/g;

/**
 * Replaces every variable reference in `text` with what `resolve` gives for it, as OpenNebula does for
 * CONTEXT (vm_var_syntax.y): names are case-insensitive, and a reference nothing resolves becomes "".
 */
export function substituteVariables(text: string, resolve: (ref: VariableRef) => string | undefined): string {
  return text.replace(REFERENCE, (_all, name: string, sub?: string, key?: string, quoted?: string, bare?: string) => {
    const ref: VariableRef = { name: name.toUpperCase() };
    if (sub) ref.sub = sub.toUpperCase();
    if (key) ref.filter = { key: key.toUpperCase(), value: quoted ?? bare ?? '' };
    return resolve(ref) ?? '';
  });
}
