// The compiler as the service configures it, for a user the system knows nothing of: a container
// run with an arbitrary UID and no HOME, where os.homedir() throws. The facade cache's default
// directory (~/.cache/packetlab) does not exist for them; the compiler must still be made.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rustAvailable } from "../helpers/rust.ts";

const root = new URL("../../", import.meta.url).pathname;
const canSwitchUser = process.getuid?.() === 0 && existsSync("/usr/bin/setpriv");
const scratch = mkdtempSync(join(tmpdir(), "packetlab-no-home-"));
chmodSync(scratch, 0o755); // the other user reads the script from it
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!rustAvailable || !canSwitchUser)(
  "the Rust compiler from the configuration",
  () => {
    it("is made for a user without a home directory, who keeps no facade", () => {
      const script = join(scratch, "make-compiler.mjs");
      writeFileSync(
        script,
        `const { rustCompilerFromConfig } = await import(${JSON.stringify(`${root}src/compile/from-config.ts`)});
const { loadConfig } = await import(${JSON.stringify(`${root}src/config.ts`)});
console.log(rustCompilerFromConfig(loadConfig({})) ? "made" : "none");
`,
      );
      const result = spawnSync(
        "/usr/bin/setpriv",
        [
          "--reuid=54321",
          "--regid=54321",
          "--clear-groups",
          process.execPath,
          "--import",
          "tsx",
          script,
        ],
        { cwd: root, env: { PATH: process.env.PATH ?? "" }, encoding: "utf8", timeout: 60_000 },
      );
      expect(result.stderr).not.toMatch(/ERR_SYSTEM_ERROR/);
      expect(result.stdout.trim()).toBe("made");
    });
  },
);
