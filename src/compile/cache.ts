// Compiled modules and compile errors by key, least recently used first out, bounded in bytes.
// A key covers everything that decides the output (source, toolchain version, flags, facade),
// so an entry never needs invalidating.
export interface CacheEntry {
  bytes: number;
}

export function createLruCache<T extends CacheEntry>(maxBytes: number) {
  const entries = new Map<string, T>();
  let used = 0;

  function get(key: string): T | undefined {
    const entry = entries.get(key);
    if (entry) {
      entries.delete(key);
      entries.set(key, entry);
    }
    return entry;
  }

  function set(key: string, entry: T): void {
    if (entry.bytes > maxBytes) return;
    const old = entries.get(key);
    if (old) {
      used -= old.bytes;
      entries.delete(key);
    }
    entries.set(key, entry);
    used += entry.bytes;
    for (const [oldest, value] of entries) {
      if (used <= maxBytes) break;
      entries.delete(oldest);
      used -= value.bytes;
    }
  }

  return {
    get,
    set,
    stats: () => ({ entries: entries.size, bytes: used }),
  };
}
