// The Prefer header (RFC 7240): what is honoured, and that anything else is ignored.
import { describe, expect, it } from "vitest";
import { parsePrefer } from "../../src/http/prefer.ts";

describe("parsePrefer", () => {
  it("reads respond-async and wait, in any case, among other preferences", () => {
    expect(parsePrefer("respond-async")).toEqual({ respondAsync: true });
    expect(parsePrefer("Respond-Async, WAIT=10")).toEqual({ respondAsync: true, waitSeconds: 10 });
    expect(parsePrefer('return=minimal; foo="x,y", respond-async ;bar')).toEqual({
      respondAsync: true,
    });
    expect(parsePrefer(["handling=strict", "respond-async, wait = 5"])).toEqual({
      respondAsync: true,
      waitSeconds: 5,
    });
    expect(parsePrefer('wait="7"')).toEqual({ respondAsync: false, waitSeconds: 7 });
  });

  it("takes the first instance of a preference (RFC 7240 §2)", () => {
    expect(parsePrefer("wait=3, wait=9")).toEqual({ respondAsync: false, waitSeconds: 3 });
    // The first wait is unreadable: it still counts, and is ignored.
    expect(parsePrefer("wait=x, wait=9")).toEqual({ respondAsync: false });
  });

  it("ignores what it does not understand", () => {
    for (const header of [
      undefined,
      "",
      ",,,;;;",
      "=",
      "respond-asynch",
      '"respond-async"',
      "wait",
      "wait=-1",
      "wait=1.5",
      "wait=99999999999",
      'foo="respond-async, wait=3"',
      "x".repeat(10_000),
    ]) {
      expect(parsePrefer(header)).toEqual({ respondAsync: false });
    }
  });
});
