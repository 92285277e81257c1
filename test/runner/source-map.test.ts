import { transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { createMapper } from "../../src/runner/source-map.ts";

describe("createMapper", () => {
  it("maps a position of esbuild's output back to the TypeScript source", async () => {
    const source = [
      "interface Point {",
      "  x: number;",
      "}",
      "type Id = string;",
      "const p: Point = { x: 1 };",
      "const boom: Id = (p as any).missing.deep;",
    ].join("\n");
    const result = await transform(source, { loader: "ts", sourcemap: "external" });
    const generatedLines = result.code.split("\n");
    const line = generatedLines.findIndex((l) => l.includes("missing")) + 1;
    const column = generatedLines[line - 1]!.indexOf("boom") + 1;
    const map = createMapper(result.map);
    expect(map({ line, column })).toEqual({ line: 6, column: 7 });
  });

  it("passes through positions the map does not cover", () => {
    const map = createMapper(JSON.stringify({ version: 3, mappings: "" }));
    expect(map({ line: 3, column: 4 })).toEqual({ line: 3, column: 4 });
  });
});
