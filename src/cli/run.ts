// `packetlab run FILE`: runs a learner program in the sandbox against the lesson's network and
// prints its output and the packets it caused (or the RunResult as JSON).
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { defaultTopology } from "../netsim/index.ts";
import type { TopologySpec } from "../netsim/types.ts";
import { compilingRunnerFromEnv } from "../compile/cli-runner.ts";
import { createRunner } from "../runner/index.ts";
import type { Language, RunResult } from "../runner/types.ts";
import type { CliIo } from "./io.ts";

const USAGE = `usage: packetlab run FILE [--lesson L --exercise E] [--seed N] [--json]

Runs FILE (JavaScript; TypeScript if it ends in .ts; Rust if .rs) in the sandbox against the lesson's
simulated network: the learner at 10.0.0.2, a name server at 10.0.0.53:53, Alice on port 1000.

  --lesson L --exercise E   use that exercise's network and files (lessons under ./lessons)
  --seed N                  the session seed (default 1)
  --json                    print the RunResult as JSON
  --help                    show this help

Exit status: 0 when the program finished ("ok"), 1 for any other outcome, 2 for bad usage.
`;

interface Options {
  file: string;
  lesson?: string;
  exercise?: string;
  seed: number;
  json: boolean;
}

function parse(args: string[]): Options | { error: string } | "help" {
  const options: Partial<Options> & { seed: number; json: boolean } = { seed: 1, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    else if (arg === "--json") options.json = true;
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
  return options as Options;
}

interface Network {
  topology: TopologySpec;
  files?: Record<string, Uint8Array>;
}

/**
 * The exercise's network, from the lessons catalogue. The one narrow import of the lessons
 * module (src/grading/catalogue.ts, `loadLessons(dir).instantiate(lesson, exercise, seed)`) is
 * made here at run time, so this command works (without --lesson) even where it is absent.
 */
async function lessonNetwork(options: Options): Promise<Network | string> {
  let catalogue: typeof import("../grading/catalogue.ts");
  try {
    catalogue = await import("../grading/catalogue.ts");
  } catch {
    return "--lesson is not available yet: this build has no lessons module";
  }
  let loaded;
  try {
    loaded = await catalogue.loadLessons("lessons");
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const instance = loaded.instantiate(options.lesson!, options.exercise!, options.seed);
  if (!instance) return `no exercise "${options.exercise}" in lesson "${options.lesson}"`;
  return { topology: instance.topology, files: instance.files };
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
  let network: Network = { topology: defaultTopology() };
  if (options.lesson !== undefined) {
    const found = await lessonNetwork(options);
    if (typeof found === "string") {
      io.err(`packetlab run: ${found}\n`);
      return 2;
    }
    network = found;
  }
  const extension = extname(options.file);
  const language: Language =
    extension === ".rs" ? "rust" : extension === ".ts" ? "typescript" : "javascript";
  const { runner, languages, close } =
    language === "rust"
      ? await compilingRunnerFromEnv(createRunner({ workers: 1 }), io)
      : { runner: createRunner({ workers: 1 }), languages: [language] as Language[], close: null };
  if (!languages.includes(language)) {
    await (close ?? (() => runner.close()))();
    io.err("packetlab run: this machine has no Rust toolchain set up (see README, Rust)\n");
    return 2;
  }
  try {
    const result = await runner.run({
      code,
      language,
      topology: network.topology,
      seed: options.seed,
      ...(network.files ? { files: network.files } : {}),
    });
    io.out(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatHuman(result));
    return result.outcome === "ok" ? 0 : 1;
  } finally {
    await (close ?? (() => runner.close()))();
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
