// `packetlab lessons check [DIR]`: validates every lesson (schema, topology, checks modules),
// then runs each reference solution, starter and wrong answer through the real runner.
// `packetlab lessons list [DIR]`: lessons, their versions (with the checks' hash) and exercises.
import { availableParallelism } from "node:os";
import { formatProblem, inspectLessons } from "../grading/index.ts";
import { checkLessons } from "../grading/lessons-check.ts";
import type { CliIo } from "./io.ts";

const USAGE = `usage: packetlab lessons check [DIR] [--format-only] [--seeds 1,2] [--jobs N]
       packetlab lessons list [DIR]

check   validates every lesson under DIR (default: lessons): lesson.json fields, texts, the
        topology (for several seeds), the checks modules, the wrong-answer headers; then runs
        each exercise's reference solution (must pass every check), starter (must fail) and
        wrong answers (must fail on their "expect-fail" check) in each seed's network.
        Prints one line per problem and exits 1 if there is any.
        --format-only   skip running code (no sandbox needed)
        --seeds a,b     the session seeds to try (default 1,20240917)
        --jobs N        programs run (and Rust programs compiled) at once; default: the
                        machine's cores. Problems are listed in the same order whatever N is.
list    prints each lesson's id, version and exercises.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (!action || action === "--help" || action === "-h" || rest.includes("--help")) {
    io.out(USAGE);
    return action ? 0 : 2;
  }
  const options = parseOptions(rest);
  if ("error" in options) {
    io.err(`packetlab lessons: ${options.error}\n${USAGE}`);
    return 2;
  }
  if (action === "list") return list(options.dir, io);
  if (action === "check") return check(options, io);
  io.err(`packetlab lessons: unknown action "${action}"\n${USAGE}`);
  return 2;
}

interface Options {
  dir: string;
  formatOnly: boolean;
  seeds?: number[];
  jobs: number;
}

function parseOptions(args: string[]): Options | { error: string } {
  const options: Options = { dir: "lessons", formatOnly: false, jobs: availableParallelism() };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--format-only") options.formatOnly = true;
    else if (arg === "--seeds") {
      const seeds = (args[++i] ?? "").split(",").map(Number);
      if (seeds.length === 0 || !seeds.every(Number.isSafeInteger)) {
        return {
          error: `--seeds needs whole numbers separated by commas (got "${args[i] ?? ""}")`,
        };
      }
      options.seeds = seeds;
    } else if (arg === "--jobs") {
      const jobs = Number(args[++i]);
      if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > 64) {
        return { error: `--jobs needs a whole number from 1 to 64 (got "${args[i] ?? ""}")` };
      }
      options.jobs = jobs;
    } else if (arg.startsWith("-")) return { error: `unknown option "${arg}"` };
    else positional.push(arg);
  }
  if (positional.length > 1)
    return { error: `one directory at most (got ${positional.join(", ")})` };
  if (positional[0]) options.dir = positional[0];
  return options;
}

async function list(dir: string, io: CliIo): Promise<number> {
  const { lessons, problems } = await inspectLessons(dir);
  for (const { detail } of lessons) {
    io.out(`${detail.order}. ${detail.id} ${detail.version}  ${detail.title}\n`);
    for (const exercise of detail.exercises)
      io.out(`   ${exercise.order}. ${exercise.id}  ${exercise.title}\n`);
  }
  for (const problem of problems) io.err(`${formatProblem(problem)}\n`);
  return problems.length > 0 ? 1 : 0;
}

async function check(options: Options, io: CliIo): Promise<number> {
  if (options.formatOnly) {
    const { lessons, problems } = await inspectLessons(options.dir);
    return report(io, problems.map(formatProblem), `${lessons.length} lesson(s) loaded`);
  }
  // The runner is loaded only here: `--format-only` and `list` never start a sandbox.
  const { createRunner } = await import("../runner/index.ts");
  const { compilingRunnerFromEnv } = await import("../compile/cli-runner.ts");
  // As many sandbox workers and compilers as programs at once, so none waits for another.
  // RUST_COMPILE_WORKERS, when set, still decides the compilers; a compile then waits its turn
  // however long that takes, as it did one program at a time, instead of the service's refusal.
  const { runner, languages, close } = await compilingRunnerFromEnv(
    createRunner({ workers: options.jobs }),
    io,
    {
      RUST_COMPILE_WORKERS: String(options.jobs),
      RUST_COMPILE_QUEUE: String(options.jobs),
      RUST_COMPILE_WAIT_MS: "300000",
      ...process.env,
    },
  );
  try {
    const result = await checkLessons(options.dir, {
      runner,
      languages,
      concurrency: options.jobs,
      ...(options.seeds ? { seeds: options.seeds } : {}),
    });
    const exercises = result.lessons.reduce((n, lesson) => n + lesson.exercises.length, 0);
    const skipped = result.skipped > 0 ? `, ${result.skipped} skipped (no Rust toolchain)` : "";
    return report(
      io,
      result.problems.map(formatProblem),
      `${result.lessons.length} lesson(s), ${exercises} exercise(s), ${result.runs} run(s)${skipped}`,
    );
  } finally {
    await close();
  }
}

function report(io: CliIo, lines: string[], summary: string): number {
  for (const line of lines) io.out(`${line}\n`);
  io.out(
    lines.length === 0 ? `${summary}: all good\n` : `${summary}: ${lines.length} problem(s)\n`,
  );
  return lines.length === 0 ? 0 : 1;
}
