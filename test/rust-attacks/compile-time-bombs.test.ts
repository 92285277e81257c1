// Hostile: programs that make the compiler itself run away (memory, CPU, crashes). Each ends as a
// compile error the learner can read, with no path of the host or the sandbox, within the
// compiler's limits; then a healthy program compiles and runs.
import { afterAll, describe, expect, it } from "vitest";
import {
  HEALTHY_RUST,
  expectHealthyRust,
  rustAvailable,
  rustRunner,
  runRust,
  testCompiler,
} from "../helpers/rust.ts";

// Small limits, so each bomb is cut quickly.
const compiler = testCompiler({
  limits: { cpuSeconds: 4, memoryMb: 768, fileMb: 32, wallMs: 10_000 },
});
const { runner, close } = rustRunner(compiler);
afterAll(close);

const noPaths = (text: string) =>
  expect(text).not.toMatch(/\/usr|\/job|\/tmp|\/work|\/facade|rustlib/);

describe.skipIf(!rustAvailable)("compile-time bombs", () => {
  it.each([
    [
      "a self-doubling macro",
      "macro_rules! d { ($($t:tt)*) => { d!($($t)* $($t)*); } }\nfn main() { d!(x); }",
    ],
    [
      "a self-doubling macro with the recursion limit raised",
      '#![recursion_limit = "100000"]\nmacro_rules! d { ($($t:tt)*) => { d!($($t)* $($t)*); } }\nfn main() { d!(x); }',
    ],
    [
      "20,000 nested parentheses (the parser overflows its stack)",
      `fn main() { let x = ${"(".repeat(20_000)}1${")".repeat(20_000)}; println!("{}", x); }`,
    ],
    [
      "a trait whose associated type grows without end",
      `trait Grow { type Next: Grow; }
struct W<T>(T);
impl<T: Grow> Grow for W<T> { type Next = W<W<T::Next>>; }
impl Grow for () { type Next = W<()>; }
fn deep<T: Grow>(n: u32) -> u32 { if n == 0 { 0 } else { deep::<W<T::Next>>(n - 1) + 1 } }
fn main() { println!("{}", deep::<()>(10)); }`,
    ],
    [
      "a const that loops",
      'const X: u64 = { let mut i = 0u64; loop { i = i.wrapping_add(1); if i == 0 { break i; } } };\nfn main() { println!("{}", X); }',
    ],
    [
      "a 256 MB static",
      'static BIG: [u8; 1 << 28] = [1; 1 << 28];\nfn main() { println!("{}", BIG[12345]); }',
    ],
    [
      "a 40 MB static that fits the memory cap but makes a huge module",
      'static BIG: [u8; 40_000_000] = [1; 40_000_000];\nfn main() { println!("{}", BIG[12345]); }',
    ],
    [
      "an array type too large for the target",
      'fn main() { let x = [0u8; usize::MAX]; println!("{}", x.len()); }',
    ],
  ])("%s: a compile error, no internal error, no host path", async (_name, source) => {
    const result = await runRust(runner, source);
    expect(result.outcome).toBe("compile-error");
    expect(result.message).toMatch(/could not be compiled/);
    noPaths(JSON.stringify(result.error));
    await expectHealthyRust(runner);
  });

  it("a bomb is not cached: the next submission of it is compiled (and cut) again", async () => {
    const source = "macro_rules! d { ($($t:tt)*) => { d!($($t)* $($t)*); } }\nfn main() { d!(y); }";
    const first = await compiler.compile(source);
    const second = await compiler.compile(source);
    expect(first).toMatchObject({ ok: false, cached: false });
    expect(second).toMatchObject({ ok: false, cached: false });
    expect(await compiler.compile(HEALTHY_RUST)).toMatchObject({ ok: true });
  });
});
