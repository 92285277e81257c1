import { describe, expect, it } from "vitest";
import { loadLessons } from "../../src/grading/index.ts";
import { makePhoto, sha256Hex } from "../../lessons/fragmentation/photo.ts";

const catalogue = await loadLessons("lessons");

describe("lesson 2, the network and the photo", () => {
  it("gives each seed its own photo, a real BMP far larger than one packet", () => {
    const photos = [1, 2, 3].map((seed) => makePhoto(seed));
    expect(new Set(photos.map(sha256Hex)).size).toBe(3);
    for (const photo of photos) {
      expect(photo.length).toBe(30_774);
      expect(String.fromCharCode(photo[0]!, photo[1]!)).toBe("BM");
      expect(new DataView(photo.buffer).getUint32(2, true)).toBe(photo.length);
    }
    expect(sha256Hex(makePhoto(1))).toBe(sha256Hex(makePhoto(1)));
  });

  it("hands the session's photo to the program and tells Alice its size", () => {
    const { files, topology } = catalogue.instantiate("fragmentation", "let-ip-fragment", 9)!;
    expect(files["photo.bmp"]).toEqual(makePhoto(9));
    expect(topology.peers).toContainEqual(
      expect.objectContaining({ kind: "file-receiver", expectedBytes: 30_774, mode: "whole" }),
    );
  });

  it("loses packets only on the lossy exercise's link to Alice", () => {
    const loss = (exercise: string) =>
      catalogue
        .instantiate("fragmentation", exercise, 9)!
        .topology.links.find((l) => l.b === "alice")!.loss ?? 0;
    expect(loss("let-ip-fragment")).toBe(0);
    expect(loss("split-it-yourself")).toBe(0);
    expect(loss("lost-fragments")).toBeGreaterThan(0);
  });
});
