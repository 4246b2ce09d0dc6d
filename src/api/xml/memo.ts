/**
 * Remembers what `render` made of each object. Stored objects are immutable and keep their identity
 * until they change (the store's caches), so a pool listing renders only what changed since the last.
 */
export function memoByObject<T extends object, R>(render: (obj: T) => R): (obj: T) => R {
  const cache = new WeakMap<T, R>();
  return (obj) => {
    let out = cache.get(obj);
    if (out === undefined) {
      out = render(obj);
      cache.set(obj, out);
    }
    return out;
  };
}

/**
 * Like memoByObject, for documents too large to keep for every object: remembers the last `size` objects
 * rendered (the ones clients are looking at), dropping the least recently used.
 */
export function memoRecent<T extends object, R>(render: (obj: T) => R, size: number): (obj: T) => R {
  const cache = new Map<T, R>();
  return (obj) => {
    let out = cache.get(obj);
    if (out === undefined) {
      out = render(obj);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    } else {
      cache.delete(obj);
    }
    cache.set(obj, out);
    return out;
  };
}
