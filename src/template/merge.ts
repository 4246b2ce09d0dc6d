import type { Template } from './types.js';

/**
 * OpenNebula's update type 1 ("append", `Template::merge`): every name present in `update` replaces all
 * attributes of that name in `base` (so `DISK=[...]` replaces every DISK); other attributes of `base` are
 * kept in order, and `update`'s attributes follow them in their own order. Update type 0 ("replace") needs
 * no function: the new template is simply `update`.
 */
export function mergeTemplate(base: Template, update: Template): Template {
  const replaced = new Set(update.map((a) => a.name));
  return [...base.filter((a) => !replaced.has(a.name)), ...update];
}
