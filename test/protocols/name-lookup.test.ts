import { describe, expect, it } from "vitest";
import {
  decodeNameAnswer,
  decodeNameRequest,
  encodeNameAnswer,
  encodeNameRequest,
  encodeUnknownNameAnswer,
} from "../../src/protocols/name-lookup.ts";

describe("the simple name-lookup protocol", () => {
  it("sends a name as its ASCII bytes", () => {
    expect(Array.from(encodeNameRequest("ns.x"))).toEqual([110, 115, 46, 120]);
    expect(decodeNameRequest(encodeNameRequest("alice.example"))).toBe("alice.example");
    expect(decodeNameRequest(encodeNameRequest("Alice-1.example."))).toBe("Alice-1.example");
  });

  it.each(["", ".", "a..b", ".a", "a b", "é", "a/b", "x".repeat(64), "a.".repeat(130)])(
    "rejects %j as a request",
    (text) => {
      expect(decodeNameRequest(new TextEncoder().encode(text))).toBeNull();
    },
  );

  it("answers with the 4 address bytes, and an empty payload for an unknown name", () => {
    expect(Array.from(encodeNameAnswer("10.0.0.100"))).toEqual([10, 0, 0, 100]);
    expect(decodeNameAnswer(Uint8Array.of(10, 0, 0, 100))).toBe("10.0.0.100");
    expect(encodeUnknownNameAnswer().length).toBe(0);
    expect(decodeNameAnswer(encodeUnknownNameAnswer())).toBeNull();
    expect(decodeNameAnswer(Uint8Array.of(1, 2, 3))).toBeNull();
  });
});
