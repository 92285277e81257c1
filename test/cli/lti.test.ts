// `packetlab lti`: register, list, rotate-keys, against the embedded database in a directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { captureIo } from "../helpers/cli-io.ts";

let dir: string;
const saved = { ...process.env };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "packetlab-lti-cli-"));
  process.env.DATA_DIR = dir;
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe("packetlab lti", () => {
  it("registers an LMS, lists it, refuses a duplicate, and rotates the tool's keys", async () => {
    const args = [
      "register",
      "--name",
      "Moodle",
      "--issuer",
      "https://moodle.example.org",
      "--client-id",
      "abc123",
      "--deployment-id",
      "1",
      "--deployment-id",
      "2",
      "--auth-login-url",
      "https://moodle.example.org/mod/lti/auth.php",
      "--token-url",
      "https://moodle.example.org/mod/lti/token.php",
      "--jwks-url",
      "https://moodle.example.org/mod/lti/certs.php",
    ];
    const io = captureIo();
    expect(await main(["lti", ...args], io), io.stderr).toBe(0);
    expect(io.stdout).toMatch(/^Registered Moodle \(/);
    const again = captureIo();
    expect(await main(["lti", ...args], again)).toBe(1);
    const list = captureIo();
    expect(await main(["lti", "list"], list)).toBe(0);
    expect(JSON.parse(list.stdout)[0]).toMatchObject({
      clientId: "abc123",
      deploymentIds: ["1", "2"],
    });
    const rotated = captureIo();
    expect(await main(["lti", "rotate-keys"], rotated), rotated.stderr).toBe(0);
    expect(rotated.stdout.split(",")).toHaveLength(3);
  }, 60_000);

  it("names what is missing", async () => {
    const io = captureIo();
    expect(await main(["lti", "register", "--name", "x"], io)).toBe(2);
    expect(io.stderr).toContain("--issuer");
    expect(io.stderr).toContain("--deployment-id");
  });
});
