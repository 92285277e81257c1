// Hostile: programs that read the compiler's environment into the module (env!, option_env!,
// /proc/self/environ, /proc/1/environ: with /proc mounted, the sandbox's PID 1 is bwrap).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";

const SECRET = "packetlab-test-secret-7f3a9c";
const compiler = testCompiler();
beforeAll(() => {
  // As a database URL would be: in the service's environment, where rustc must not see it.
  process.env.PACKETLAB_TEST_SECRET = SECRET;
});
afterAll(async () => {
  delete process.env.PACKETLAB_TEST_SECRET;
  await compiler.close();
});

async function compiledText(source: string): Promise<string> {
  const result = await compiler.compile(source);
  return result.ok ? Buffer.from(result.wasm).toString("latin1") : JSON.stringify(result.error);
}

describe.skipIf(!rustAvailable)("the environment at compile time", () => {
  it("env! finds no variable at all", async () => {
    for (const name of ["PACKETLAB_TEST_SECRET", "HOME", "PATH", "DATABASE_URL"]) {
      const result = await compiler.compile(`fn main() { print!("{}", env!("${name}")); }`);
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.error.message).toMatch(/environment variable `\w+` not defined/);
    }
  });

  it("option_env! is None for every variable", async () => {
    const text = await compiledText(
      'fn main() { println!("{:?} {:?} {:?}", option_env!("PACKETLAB_TEST_SECRET"), option_env!("PATH"), option_env!("HOME")); }',
    );
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("/usr/local/bin");
  });

  it.each(["/proc/self/environ", "/proc/1/environ", "/proc/1/cmdline", "/proc/self/cwd/main.rs"])(
    "%s holds nothing of the service",
    async (path) => {
      const text = await compiledText(`fn main() { println!("{:?}", include_bytes!("${path}")); }`);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("DATABASE_URL");
      expect(text).not.toContain("/work");
    },
  );

  it("RUSTC_BOOTSTRAP is not set: nightly features stay locked", async () => {
    const result = await compiler.compile("#![feature(never_type)]\nfn main() {}");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/may not be used on the stable release/);
  });

  it("after the attacks, a healthy program compiles", async () => {
    const result = await compiler.compile('fn main() { println!("healthy"); }');
    expect(result.ok).toBe(true);
  });
});
