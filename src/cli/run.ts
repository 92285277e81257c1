// `packetlab run FILE`: runs a learner program in the sandbox against the lesson's network and
// prints its output and the packets it caused (or the RunResult as JSON); with --lesson and
// --exercise it grades the program as the service would and exits 1 on a failed grade.
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { loadConfig, type Config } from "../config.ts";
import { createGrader, loadLessons } from "../grading/index.ts";
import type { LoadedCatalogue } from "../grading/lesson.ts";
import type { InstantiatedExercise } from "../grading/types.ts";
import { defaultTopology } from "../netsim/index.ts";
import { compilingRunnerFromEnv } from "../compile/cli-runner.ts";
import { createRunner } from "../runner/index.ts";
import type { Language, RunResult, Runner } from "../runner/types.ts";
import { submissionLimits } from "../run-limits.ts";
import { formatGrade } from "./grade-table.ts";
import type { CliIo } from "./io.ts";

const USAGE = `usage: packetlab run FILE [--lesson L --exercise E [--no-grade]] [--seed N] [--json]

Runs FILE (JavaScript; TypeScript if it ends in .ts; Rust if .rs) in the sandbox against a
simulated network and prints its output and the packets it caused. Without --lesson, a small
fixed network: the learner at 10.0.0.2, a name server at 10.0.0.53:53 that knows "alice", and
Alice at 10.0.0.7 answering on UDP port 1000. The lessons' networks differ (names such as
alice.packetlab.test, Alice's address from the seed): use --lesson for those.

  --lesson L --exercise E   grade FILE on that exercise exactly as the service does, with the
                            service's default limits: its output and packets, then each check
                            (colours on a terminal)
  --no-grade                with --lesson and --exercise: run on that exercise's network for
                            the seed, as a session sees it, and do not grade
  --seed N                  the session seed (default 1)
  --json                    print the RunResult (graded: {run, grade}) as JSON
  --help                    show this help

Exit status: graded, 0 when the grade passed and 1 when it failed; otherwise 0 when the program
finished ("ok") and 1 for any other outcome; 2 for bad usage.
`;

interface Options {
  file: string;
  lesson?: string;
  exercise?: string;
  seed: number;
  json: boolean;
  /** Run on the exercise's network without grading. */
  noGrade: boolean;
}

function parse(args: string[]): Options | { error: string } | "help" {
  const options: Partial<Options> & Pick<Options, "seed" | "json" | "noGrade"> = {
    seed: 1,
    json: false,
    noGrade: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    else if (arg === "--json") options.json = true;
    else if (arg === "--no-grade") options.noGrade = true;
    else if (arg === "--lesson" || arg === "--exercise") {
      const value = args[++i];
      if (!value) return { error: `${arg} needs a value` };
      options[arg === "--lesson" ? "lesson" : "exercise"] = value;
    } else if (arg === "--seed") {
      const seed = Number(args[++i]);
      if (!Number.isSafeInteger(seed)) return { error: `--seed needs a whole number` };
      options.seed = seed;
    } else if (arg.startsWith("-")) return { error: `unknown option "${arg}"` };
    else if (options.file) return { error: `only one FILE, got "${options.file}" and "${arg}"` };
    else options.file = arg;
  }
  if (!options.file) return { error: "FILE is missing" };
  if ((options.lesson === undefined) !== (options.exercise === undefined)) {
    return { error: "--lesson and --exercise go together" };
  }
  if (options.noGrade && options.lesson === undefined) {
    return { error: "--no-grade goes with --lesson and --exercise" };
  }
  return options as Options;
}

/**
 * The lessons and the exercise's network for the seed, as a session gets it; null (after saying
 * why) when the lessons do not load or have no such exercise.
 */
async function findExercise(
  { lesson, exercise, seed }: Options,
  config: Config,
  io: CliIo,
): Promise<{ catalogue: LoadedCatalogue; network: InstantiatedExercise } | null> {
  const catalogue = await loadLessons(config.LESSONS_DIR).catch((error: Error) => error);
  if (catalogue instanceof Error) {
    io.err(`packetlab run: ${catalogue.message}\n`);
    return null;
  }
  const network = catalogue.instantiate(lesson!, exercise!, seed);
  if (!network) {
    io.err(`packetlab run: no exercise "${exercise}" in lesson "${lesson}"\n`);
    return null;
  }
  return { catalogue, network };
}

/** Grades the program on an exercise as the service does: same grader, same default limits. */
async function gradeOffline(
  options: Options,
  code: string,
  language: Language,
  runner: Pick<Runner, "run">,
  catalogue: LoadedCatalogue,
  config: Config,
  io: CliIo,
) {
  const graded = await createGrader({ catalogue, runner }).gradeSubmission({
    lessonId: options.lesson!,
    exerciseId: options.exercise!,
    code,
    language,
    seed: options.seed,
    limits: submissionLimits(config),
  });
  if (options.json) {
    io.out(`${JSON.stringify({ run: graded.run, grade: graded.grade }, null, 2)}\n`);
  } else {
    io.out(formatHuman(graded.run));
    io.out(`\n${formatGrade(graded.grade, graded, io.colour ?? false)}`);
  }
  return graded.grade.passed ? 0 : 1;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const options = parse(args);
  if (options === "help") {
    io.out(USAGE);
    return 0;
  }
  if ("error" in options) {
    io.err(`packetlab run: ${options.error}\n${USAGE}`);
    return 2;
  }
  let code: string;
  try {
    code = await readFile(options.file, "utf8");
  } catch (error) {
    io.err(`packetlab run: cannot read ${options.file}: ${(error as Error).message}\n`);
    return 2;
  }
  const extension = extname(options.file);
  const language: Language =
    extension === ".rs" ? "rust" : extension === ".ts" ? "typescript" : "javascript";
  // The configuration's defaults: the lessons' directory, and the service's limits on a lesson's network.
  const config = loadConfig({});
  const pool = createRunner({
    workers: 1,
    ...(options.lesson === undefined
      ? {}
      : {
          limits: {
            cpuMs: config.RUN_CPU_MS,
            wallMs: config.RUN_WALL_MS,
            memoryMb: config.RUN_MEMORY_MB,
            outputBytes: config.RUN_OUTPUT_BYTES,
            maxPackets: config.RUN_MAX_PACKETS,
          },
        }),
  });
  const { runner, languages, close } =
    language === "rust"
      ? await compilingRunnerFromEnv(pool, io)
      : { runner: pool, languages: [language] as Language[], close: () => pool.close() };
  try {
    if (!languages.includes(language)) {
      io.err("packetlab run: this machine has no Rust toolchain set up (see README, Rust)\n");
      return 2;
    }
    let network: Pick<InstantiatedExercise, "topology" | "files">;
    if (options.lesson === undefined) network = { topology: defaultTopology(), files: {} };
    else {
      const found = await findExercise(options, config, io);
      if (!found) return 2;
      if (!options.noGrade) {
        return await gradeOffline(options, code, language, runner, found.catalogue, config, io);
      }
      network = found.network;
    }
    const result = await runner.run({
      code,
      language,
      topology: network.topology,
      files: network.files,
      seed: options.seed,
    });
    io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatHuman(result));
    return result.outcome === "ok" ? 0 : 1;
  } finally {
    await close();
  }
}

function formatHuman(result: RunResult): string {
  const out: string[] = [];
  for (const line of result.output)
    out.push(line.stream === "stderr" ? `! ${line.text}` : line.text);
  if (result.outputTruncated) out.push("… (output cut at the limit)");
  out.push("", `packets (${result.packets.length}):`);
  for (const packet of result.packets) {
    const fate =
      packet.fate.status === "delivered" ? "delivered" : `dropped: ${packet.fate.reason}`;
    const at = `${(packet.sentUs / 1000).toFixed(3)} ms`.padStart(11);
    out.push(
      `  ${String(packet.seq).padStart(3)} ${at}  ${packet.from} → ${packet.to}  ${packet.summary}  [${fate}]`,
    );
  }
  out.push("", `${result.outcome}: ${result.message}`);
  if (result.error?.stack) out.push(result.error.stack);
  out.push(
    `learner ${result.learner.address}, virtual time ${(result.virtualTimeUs / 1000).toFixed(3)} ms, cpu ${result.cpuMs.toFixed(1)} ms, wall ${result.wallMs.toFixed(1)} ms`,
  );
  return `${out.join("\n")}\n`;
}
