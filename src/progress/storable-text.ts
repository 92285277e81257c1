// Text PostgreSQL cannot hold, made storable and given back exactly. PostgreSQL refuses a NUL
// character in `text` and `\u0000` in `jsonb`, and a lone UTF-16 surrogate (a JS string may hold
// one; it is not Unicode) is either refused (`jsonb`) or silently turned into U+FFFD (`text`).
// A learner produces both in the first exercise by printing the name server's 4-byte answer.
//
// The escape: U+FFFF (a noncharacter, never in ordinary text) followed by the four lowercase hex
// digits of the UTF-16 code unit it stands for. Escaped: NUL, each lone surrogate, and U+FFFF
// itself, so decoding is unambiguous. Any other text is stored unchanged, so SQL reports and
// dumps see the same values the API does.
//
//   "a\0b"      ⇄ "a\uFFFF0000b"
//   "\uD800"    ⇄ "\uFFFFd800"     (a surrogate pair such as "😀" is left alone)
//   "\uFFFF"    ⇄ "\uFFFFffff"

const ESCAPE = "\uffff";
/* eslint-disable no-control-regex -- NUL is the point here */
// NUL, U+FFFF, a high surrogate not followed by a low one, a low one not preceded by a high one.
const UNSTORABLE =
  /[\u0000\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// The same in JSON text as JSON.stringify writes it: NUL and lone surrogates as \u escapes
// (preceded by an even number of backslashes, i.e. not themselves escaped), U+FFFF raw.
const UNSTORABLE_JSON =
  /(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|d[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2}\\u)d[c-f][0-9a-f]{2})|[\u0000\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gi;
// What any match of UNSTORABLE_JSON contains: a \u escape or one of these raw characters. Far
// cheaper to look for than the pattern itself (its lookbehind is tried at every position), and
// most JSON (a trace's 15 KB) holds neither.
const MAYBE_UNSTORABLE_JSON = /\\u|[\u0000\uffff\ud800-\udfff]/i;
/* eslint-enable no-control-regex */
const ESCAPED = /\uffff([0-9a-f]{4})/g;

const hex4 = (unit: number) => unit.toString(16).padStart(4, "0");

/** The text as it is stored: identical unless it holds NUL, a lone surrogate or U+FFFF. */
export function toStorableText(text: string): string {
  UNSTORABLE.lastIndex = 0;
  if (!UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE, (char) => ESCAPE + hex4(char.charCodeAt(0)));
}

/** The text as it was before toStorableText. */
export function fromStorableText(text: string): string {
  if (!text.includes(ESCAPE)) return text;
  return text.replace(ESCAPED, (_, digits: string) => String.fromCharCode(parseInt(digits, 16)));
}

/**
 * JSON text (as JSON.stringify writes it) whose strings are stored as toStorableText would
 * store them, for a `jsonb` parameter: parsing it yields the storable form of each string.
 */
export function toStorableJson(json: string): string {
  if (!MAYBE_UNSTORABLE_JSON.test(json)) return json;
  UNSTORABLE_JSON.lastIndex = 0;
  if (!UNSTORABLE_JSON.test(json)) return json;
  return json.replace(
    UNSTORABLE_JSON,
    (match) =>
      ESCAPE + (match.length === 6 ? match.slice(2).toLowerCase() : hex4(match.charCodeAt(0))),
  );
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Applies `convert` to every string in arrays and plain objects (keys too); others as they are. */
function mapStrings(value: unknown, convert: (text: string) => string, depth = 0): unknown {
  if (typeof value === "string") return convert(value);
  if (typeof value !== "object" || value === null || depth > 100) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const converted = mapStrings(item, convert, depth + 1);
      if (converted !== item) (copy ??= [...value])[i] = converted;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value; // Date, Buffer, BigInt wrappers, Prisma's sentinels
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const convertedKey = convert(key);
    const converted = mapStrings(item, convert, depth + 1);
    if (converted === item && convertedKey === key) continue;
    copy ??= { ...value };
    if (convertedKey !== key) delete copy[key];
    copy[convertedKey] = converted;
  }
  return copy ?? value;
}

/** Every string inside `value` in its stored form (the value itself is not changed). */
export function toStorable<T>(value: T): T {
  return mapStrings(value, toStorableText) as T;
}

/** Every string inside a value read from the database back as it was written. */
export function fromStorable<T>(value: T): T {
  return mapStrings(value, fromStorableText) as T;
}
