import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { captureIo } from "../helpers/cli-io.ts";

describe("packetlab command line", () => {
  it("names an unknown command and exits 2", async () => {
    const io = captureIo();
    expect(await main(["frobnicate"], io)).toBe(2);
    expect(io.stderr).toContain('unknown command "frobnicate"');
  });

  it("prints usage for --help and exits 0", async () => {
    const io = captureIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout).toContain("usage: packetlab <command>");
  });
});
