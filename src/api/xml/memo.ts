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
