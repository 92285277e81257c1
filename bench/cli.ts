// The command line, timed as a user runs it: each command a new `node bin/packetlab.js` process,
// from spawn to exit, BENCH_CLI_ROUNDS times (default 3) in alternating order. Prints the median
// wall time and CPU time of the whole process tree (sandbox workers, esbuild and rustc among it:
// children this process waited for). `lessons check` compiles every Rust file of the lessons
// (when the toolchain is there), so it is timed one program at a time (`--jobs 1`) and as it
// runs by default (one per core), both with nothing compiled yet, and by default again with the
// modules the run before kept (the command line keeps them in modules/ of RUST_FACADE_CACHE_DIR,
// here a directory of the bench's own, emptied before each "nothing kept" run; the facade stays).
// With BENCH_BASELINE_DIR another checkout runs the same commands in the same rounds; one it
// refuses (an option it did not have yet) prints "refused".
//
//   npm run bench -- cli
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RUN_ALICE_SOLUTION } from "./alice-answers.ts";
import { median } from "./median.ts";
import { reapedCpuMs } from "./proc-cpu.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 3);

/** Name, arguments, and whether the compiled modules kept so far are removed first. */
const COMMANDS: [string, string[], ("empty" | "kept")?][] = [
  ["help", ["help"]],
  [
    "dissect (one packet)",
    ["dissect", "4500001c000100004011f9c40a0000020a000035d4310035000800000000"],
  ],
  ["run --lesson (Alice solution)", RUN_ALICE_SOLUTION],
  ["lessons check --jobs 1, nothing kept", ["lessons", "check", "--jobs", "1"], "empty"],
  [`lessons check (${availableParallelism()} jobs), nothing kept`, ["lessons", "check"], "empty"],
  [`lessons check (${availableParallelism()} jobs), modules kept`, ["lessons", "check"], "kept"],
];

interface Timing {
  wallMs: number[];
  cpuMs: number[];
  refused: boolean;
}

function time(dir: string, args: string[], cacheDir: string, into: Timing): void {
  const cpuBefore = reapedCpuMs();
  const started = performance.now();
  const { status } = spawnSync(process.execPath, ["bin/packetlab.js", ...args], {
    cwd: dir,
    env: { ...process.env, RUST_FACADE_CACHE_DIR: cacheDir },
    stdio: "ignore",
  });
  const wallMs = performance.now() - started;
  // `run` exits 1 on a failed grade and `lessons check` on a problem: the Alice solution
  // passes and the lessons are clean, so anything but 0 here is a refusal or a failure.
  if (status !== 0) {
    into.refused = true;
    return;
  }
  into.wallMs.push(wallMs);
  into.cpuMs.push(reapedCpuMs() - cpuBefore);
}

export async function bench(): Promise<void> {
  const checkouts: [string, string][] = [
    ...(process.env.BENCH_BASELINE_DIR
      ? [["baseline", process.env.BENCH_BASELINE_DIR] as [string, string]]
      : []),
    ["this", ROOT],
  ];
  for (const [, dir] of checkouts) {
    // Measured as `npm ci` leaves a checkout: built from its sources now.
    if (existsSync(join(dir, "scripts/build.mjs"))) {
      spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: dir, stdio: "ignore" });
    }
  }
  const timings = new Map<string, Timing>();
  const key = (label: string, command: string) => `${label}\u0000${command}`;
  const caches = new Map(checkouts.map(([label]) => [label, mkdtempSync(join(tmpdir(), "plc-"))]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? checkouts : [...checkouts].reverse();
      for (const [name, args, modules] of COMMANDS) {
        for (const [label, dir] of order) {
          const timing = timings.get(key(label, name)) ?? {
            wallMs: [],
            cpuMs: [],
            refused: false,
          };
          timings.set(key(label, name), timing);
          const cacheDir = caches.get(label)!;
          if (modules === "empty")
            rmSync(join(cacheDir, "modules"), { recursive: true, force: true });
          time(dir, args, cacheDir, timing);
        }
      }
    }
  } finally {
    for (const dir of caches.values()) rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `each command a new process, ${ROUNDS} rounds: median wall ms / CPU ms of the process tree`,
  );
  // A checkout's `lessons check` checks its own lessons (an older one has fewer, and no Rust):
  // compare its two lines with each other, not with another checkout's.
  console.log("  (lessons check: each checkout checks its own lessons)");
  for (const [name] of COMMANDS) {
    const cells = checkouts.map(([label]) => {
      const timing = timings.get(key(label, name))!;
      if (timing.refused) return `${label} refused`;
      return `${label} ${median(timing.wallMs).toFixed(0)} / ${median(timing.cpuMs).toFixed(0)}`;
    });
    console.log(`  ${name.padEnd(40)} ${cells.join("   ")}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
