// Hostile: recursion without end. Rust's stack on wasm32 is a region of linear memory (1 MB) and
// the calls also use V8's native stack: whichever runs out first, it is the program's runtime
// error, never the worker's crash.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthyRust, rustAvailable, rustRunner, runRust } from "../helpers/rust.ts";

const { runner, close } = rustRunner();
// std::hint::black_box is newer than rustc 1.63: a volatile read keeps the optimiser out.
const OPAQUE = "fn opaque<T: Copy>(value: T) -> T { unsafe { std::ptr::read_volatile(&value) } }\n";
afterAll(close);

describe.skipIf(!rustAvailable)("deep recursion", () => {
  it.each([
    [
      "plain recursion",
      'fn f(n: u64) -> u64 { if n == 0 { 0 } else { opaque(f(n - 1)) + 1 } }\nfn main() { println!("{}", f(opaque(1 << 40))); }',
    ],
    [
      "big frames",
      'fn f(n: u64) -> u64 { let a = opaque([n; 4096]); if n == 0 { a[1] } else { a[2] + f(n - 1) } }\nfn main() { println!("{}", f(opaque(1 << 30))); }',
    ],
    [
      "mutual recursion",
      'fn a(n: u64) -> u64 { if n == 0 { 0 } else { b(n - 1) + 1 } }\nfn b(n: u64) -> u64 { opaque(a(n)) }\nfn main() { println!("{}", a(opaque(u64::MAX))); }',
    ],
  ])("%s: a runtime error", async (_name, program) => {
    const result = await runRust(runner, OPAQUE + program, { cpuMs: 2000, wallMs: 5000 });
    expect(["runtime-error", "memory-limit"]).toContain(result.outcome);
    expect(result.message).not.toMatch(/on our side/);
    await expectHealthyRust(runner);
  });
});
