// The cache of what a program's text alone decides (src/runner/text-cache.ts): bounded by
// characters, least recently used first out.
import { describe, expect, it } from "vitest";
import { createTextCache } from "../../src/runner/text-cache.ts";

/** A cache of `text.toUpperCase()` that counts how often it had to make a value. */
function upperCase(maxChars: number) {
  const made: string[] = [];
  const cache = createTextCache<string>(maxChars, (value) => value.length);
  const get = (text: string) =>
    cache.get(text, (key) => {
      made.push(key);
      return key.toUpperCase();
    });
  return { cache, get, made };
}

describe("a text cache", () => {
  it("makes a value once and hands the same one back", () => {
    const { get, made } = upperCase(1000);
    expect(get("abc")).toBe("ABC");
    expect(get("abc")).toBe("ABC");
    expect(made).toEqual(["abc"]);
  });

  it("drops the least recently used texts once it holds more characters than allowed", () => {
    // Each entry holds 20 characters (the key and its value): 8 fit in 160.
    const { cache, get, made } = upperCase(160);
    const texts = "abcdefgh".split("").map((letter) => letter.repeat(10));
    for (const text of texts) get(text);
    expect(cache.size).toBe(8);
    get(texts[0]!); // now the most recently used: the second goes next
    get("i".repeat(10));
    expect(cache.size).toBe(8);
    for (const text of [texts[0]!, ...texts.slice(2), "i".repeat(10)]) get(text);
    expect(made).toEqual([...texts, "i".repeat(10)]);
    get(texts[1]!);
    expect(made).toHaveLength(10);
  });

  it("does not keep a value larger than an eighth of its bound", () => {
    const { cache, get, made } = upperCase(80);
    get("x".repeat(6)); // 12 characters: over 10
    get("x".repeat(6));
    expect(made).toHaveLength(2);
    expect(cache.size).toBe(0);
    get("y".repeat(5)); // 10: kept
    get("y".repeat(5));
    expect(made).toHaveLength(3);
  });
});
