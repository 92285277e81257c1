// Hostile: Rust programs that allocate without end. Linear memory is outside isolated-vm's
// memoryLimit, so the module's own cap (--max-memory, 64 MB here) is what stops them: the
// allocator fails, Rust prints "memory allocation of N bytes failed" and aborts.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthyRust, rustAvailable, rustRunner, runRust } from "../helpers/rust.ts";

const { runner, close } = rustRunner();
afterAll(close);

describe.skipIf(!rustAvailable)("allocation bombs", () => {
  it.each([
    [
      "a vector of megabytes that grows forever",
      "fn main() { let mut v = Vec::new(); loop { v.push(vec![1u8; 1 << 20]); } }",
    ],
    ["one huge vector", 'fn main() { let v = vec![7u8; 1 << 30]; println!("{}", v[9]); }'],
    [
      "leaked boxes",
      "fn main() { loop { let b: &'static mut [u64; 4096] = Box::leak(Box::new([1; 4096])); b[0] += 1; } }",
    ],
    [
      "a string doubled until it fails",
      'fn main() { let mut s = String::from("ab"); loop { s = s.repeat(2); } }',
    ],
  ])("%s: memory-limit", async (_name, source) => {
    const result = await runRust(runner, source, { cpuMs: 2000, wallMs: 5000 });
    expect(result.outcome).toBe("memory-limit");
    await expectHealthyRust(runner);
  });

  it("a capacity that overflows is the program's panic, not ours", async () => {
    const result = await runRust(
      runner,
      "fn main() { let mut v: Vec<u64> = Vec::new(); v.reserve(usize::MAX); }",
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.message).toMatch(/capacity overflow/);
    await expectHealthyRust(runner);
  });
});
