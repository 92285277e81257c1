// Hostile: programs that try to make the compiler read host files into the module or into its
// messages. The compiler runs in a sandbox that holds only the toolchain and main.rs.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";

const compiler = testCompiler();
afterAll(() => compiler.close());

const passwdLine = readFileSync("/etc/passwd", "utf8").split("\n")[0]!;
const packageJson = new URL("../../package.json", import.meta.url).pathname;

/** Whatever came back, module bytes or error, must not hold the secret text. */
async function compiledText(source: string): Promise<string> {
  const result = await compiler.compile(source);
  return result.ok ? Buffer.from(result.wasm).toString("latin1") : JSON.stringify(result.error);
}

describe.skipIf(!rustAvailable)("host files at compile time", () => {
  it.each([
    ["include_str! of /etc/passwd", 'fn main() { print!("{}", include_str!("/etc/passwd")); }'],
    [
      "include_bytes! of /etc/passwd",
      'fn main() { println!("{:?}", include_bytes!("/etc/passwd")); }',
    ],
    [
      "include_str! through a renamed macro",
      'use std::include_str as grab;\nfn main() { print!("{}", grab!("/etc/passwd")); }',
    ],
    [
      "a macro passed into macro_rules!",
      'macro_rules! call { ($m:ident, $p:expr) => { $m!($p) } }\nfn main() { print!("{}", call!(include_str, "/etc/passwd")); }',
    ],
    [
      "a relative path up the tree",
      'fn main() { print!("{}", include_str!("../../../../etc/passwd")); }',
    ],
    ["include! quoting the file in its error", 'include!("/etc/passwd");\nfn main() {}'],
    [
      "#[path] quoting the file in its error",
      '#[path = "/etc/passwd"]\nmod secrets;\nfn main() {}',
    ],
  ])("%s: nothing of the file comes back", async (_name, source) => {
    const text = await compiledText(source);
    expect(text).not.toContain(passwdLine);
    expect(text).not.toMatch(/root:x:0:0/);
  });

  it("the service's own files are not there either", async () => {
    const result = await compiler.compile(
      `fn main() { print!("{}", include_str!(${JSON.stringify(packageJson)})); }`,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/couldn't read|No such file/);
      expect(JSON.stringify(result.error)).not.toContain("packetlab");
      expect(JSON.stringify(result.error)).not.toContain("/work");
    }
  });

  it("after the attacks, a healthy program compiles", async () => {
    const result = await compiler.compile('fn main() { println!("healthy"); }');
    expect(result.ok).toBe(true);
  });
});
