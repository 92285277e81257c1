// A cache of what a pure function made of a program's text, least recently used first out,
// bounded by the characters it holds rather than by entries: a class of 50 learners with ten
// versions each is 500 programs of about 500 characters, and a learner resubmits a text after
// the whole class has submitted theirs. Nothing of a run is in it, only what the text alone
// decides (the same text gives the same value to every learner).
export interface TextCache<Value> {
  /** The value for `text`, made by `make` unless it is cached. */
  get(text: string, make: (text: string) => Value): Value;
  readonly size: number;
}

/**
 * `charsOf` says how many characters a value holds besides its key; a value over an eighth of
 * `maxChars` is not kept.
 */
export function createTextCache<Value>(
  maxChars: number,
  charsOf: (value: Value) => number,
): TextCache<Value> {
  const entries = new Map<string, { value: Value; chars: number }>();
  let held = 0;
  return {
    get(text, make) {
      const hit = entries.get(text);
      if (hit) {
        entries.delete(text);
        entries.set(text, hit);
        return hit.value;
      }
      const value = make(text);
      const chars = text.length + charsOf(value);
      if (chars > maxChars / 8) return value;
      entries.set(text, { value, chars });
      held += chars;
      for (const [key, entry] of entries) {
        if (held <= maxChars) break;
        entries.delete(key);
        held -= entry.chars;
      }
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
