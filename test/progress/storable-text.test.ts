// The storage escape is reversible for every JS string, identity on ordinary text, never leaves
// a character PostgreSQL refuses, and agrees between the text and the JSON-text forms. The
// round trip through the database itself (PGlite, and PostgreSQL with TEST_DATABASE_URL) is
// checked on random strings too.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fromStorable,
  fromStorableText,
  toStorable,
  toStorableJson,
  toStorableText,
} from "../../src/progress/storable-text.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";

// Any UTF-16 code units, weighted towards the ones that matter.
const unit = fc.oneof(
  fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\uffff", "\\", '"', "u"),
  fc.constantFrom("0", "d", "8", "f", "a"),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
);
const anyString = fc.array(unit, { maxLength: 40 }).map((units) => units.join(""));
/* eslint-disable no-control-regex -- NUL is the point here */
const storableOnly = (text: string) =>
  !/[\u0000]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

/* eslint-enable no-control-regex */
describe("storable text", () => {
  it("round-trips every string, and leaves nothing PostgreSQL refuses", () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const stored = toStorableText(text);
        expect(storableOnly(stored)).toBe(true);
        expect(fromStorableText(stored)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it("is the identity on text without NUL, lone surrogates or U+FFFF", () => {
    for (const text of ["", "hello", "ünïcødé 😀", "\\u0000 written as source", "\ufffe"]) {
      expect(toStorableText(text)).toBe(text);
      expect(toStorableJson(JSON.stringify(text))).toBe(JSON.stringify(text));
    }
  });

  it("escapes JSON text as it escapes the strings inside it", () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 5 }), anyString, (strings, key) => {
        const value = { [key]: strings, nested: { text: strings[0] ?? "" } };
        const json = toStorableJson(JSON.stringify(value));
        expect(JSON.parse(json)).toEqual(toStorable(value));
        expect(fromStorable(JSON.parse(json))).toEqual(value);
      }),
      { numRuns: 1000 },
    );
  });

  it("leaves dates, numbers and class instances alone", () => {
    const at = new Date(0);
    const value = { at, n: 1n, list: [1, null, true, "\u0000"] };
    const stored = toStorable(value);
    expect(stored.at).toBe(at);
    expect(stored.list[3]).toBe("\uffff0000");
    expect(value.list[3]).toBe("\u0000");
  });
});

describe("storable text in the database", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase();
  });
  afterAll(async () => test.close());

  it("a teacher's name of any code units is stored and read back", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyString.filter((text) => text.length > 0),
        async (name) => {
          const created = await test.db.prisma.teacher.create({ data: { name } });
          const read = await test.db.prisma.teacher.findUnique({ where: { id: created.id } });
          expect(read?.name).toBe(name);
        },
      ),
      { numRuns: 60 },
    );
  });
});
