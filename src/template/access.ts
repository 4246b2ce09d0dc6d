import type { Attribute, Template, TemplateVector } from './types.js';

// Templates hold upper-cased names (the parsers and setters below make sure), so only the query is upper-cased.

/** The first single-valued attribute called `name` (any case), or undefined. */
export function getSingle(t: Template, name: string): string | undefined {
  const key = name.toUpperCase();
  for (const a of t) if (a.name === key && typeof a.value === 'string') return a.value;
  return undefined;
}

/** The first vector attribute called `name` (any case), or undefined. */
export function getVector(t: Template, name: string): TemplateVector | undefined {
  const key = name.toUpperCase();
  for (const a of t) if (a.name === key && typeof a.value !== 'string') return a.value;
  return undefined;
}

/** Every vector attribute called `name` (any case), in order. */
export function getVectors(t: Template, name: string): TemplateVector[] {
  const key = name.toUpperCase();
  const out: TemplateVector[] = [];
  for (const a of t) if (a.name === key && typeof a.value !== 'string') out.push(a.value);
  return out;
}

/** Every attribute called `name` (any case), single or vector, in order. */
export function getAll(t: Template, name: string): Attribute[] {
  const key = name.toUpperCase();
  return t.filter((a) => a.name === key);
}

/** Whether any attribute is called `name` (any case). */
export function has(t: Template, name: string): boolean {
  const key = name.toUpperCase();
  return t.some((a) => a.name === key);
}

/**
 * The first single value called `name` as a number; undefined when absent, empty or not a number
 * (so callers never meet NaN).
 */
export function getNumber(t: Template, name: string): number | undefined {
  const raw = getSingle(t, name)?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Upper-cases a vector's sub-attribute names, keeping the first of names that then collide. */
function normaliseVector(v: TemplateVector): TemplateVector {
  const out: TemplateVector = {};
  for (const [k, value] of Object.entries(v)) {
    const key = k.toUpperCase();
    if (!Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}

/** Replaces every attribute called `attr.name` with `attr`, at the place of the first one (or at the end). */
function replaceAll(t: Template, attr: Attribute): Template {
  const out: Template = [];
  let placed = false;
  for (const a of t) {
    if (a.name !== attr.name) out.push(a);
    else if (!placed) {
      out.push(attr);
      placed = true;
    }
  }
  if (!placed) out.push(attr);
  return out;
}

/** A copy of `t` where `name` is the single value `value` (all previous attributes of that name go). */
export function setSingle(t: Template, name: string, value: string): Template {
  return replaceAll(t, { name: name.toUpperCase(), value });
}

/** A copy of `t` where `name` is one vector with a copy of `v` (all previous attributes of that name go). */
export function setVector(t: Template, name: string, v: TemplateVector): Template {
  return replaceAll(t, { name: name.toUpperCase(), value: normaliseVector(v) });
}

/** A copy of `t` without any attribute called `name` (any case). */
export function removeAttr(t: Template, name: string): Template {
  const key = name.toUpperCase();
  return t.filter((a) => a.name !== key);
}

/** A copy of `t` with `attr` (name upper-cased) added at the end, after any of the same name. */
export function appendAttr(t: Template, attr: Attribute): Template {
  const value = typeof attr.value === 'string' ? attr.value : normaliseVector(attr.value);
  return [...t, { name: attr.name.toUpperCase(), value }];
}
