// Reads lessons/ into memory once, at start-up: every lesson folder with a lesson.json, its
// texts, code, checks and topology. Problems are collected, not thrown one at a time, so
// `packetlab lessons check` can list them all.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { validateTopology } from "../../netsim/topology.ts";
import type { Language } from "../../runner/types.ts";
import type {
  LessonProblem,
  LoadedExercise,
  LoadedLesson,
  SourceFile,
  TopologyFactory,
  WrongAnswer,
} from "../lesson.ts";
import { OUTCOME_CHECK_ID } from "../outcome.ts";
import { importModule, validateChecks } from "./checks-module.ts";
import { type LessonManifest, parseManifest } from "./manifest.ts";
import { checksHash } from "./version.ts";

export interface LessonInspection {
  lessons: LoadedLesson[];
  problems: LessonProblem[];
}

/** Seeds every topology is tried with at load time; enough to catch a bad derivation. */
const PROBE_SEEDS = [0, 1, 2, 42, 0x7fffffff];

export async function inspectLessons(dir: string): Promise<LessonInspection> {
  const problems: LessonProblem[] = [];
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !/^[._]/.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    return { lessons: [], problems: [{ file: dir, message: errorText(error) }] };
  }
  const lessons: LoadedLesson[] = [];
  for (const name of entries) {
    const lessonDir = join(dir, name);
    if (!existsSync(join(lessonDir, "lesson.json"))) {
      problems.push({
        file: lessonDir,
        message: "has no lesson.json (folders starting with _ are skipped)",
      });
      continue;
    }
    const lesson = await inspectLesson(lessonDir, problems);
    if (lesson) lessons.push(lesson);
  }
  const ids = new Map<string, string>();
  for (const lesson of lessons) {
    const other = ids.get(lesson.detail.id);
    if (other) {
      problems.push({
        file: join(lesson.dir, "lesson.json"),
        field: "id",
        message: `"${lesson.detail.id}" is also the id of ${other}`,
      });
    }
    ids.set(lesson.detail.id, lesson.dir);
  }
  lessons.sort((a, b) => a.detail.order - b.detail.order || a.detail.id.localeCompare(b.detail.id));
  return { lessons, problems };
}

async function inspectLesson(
  lessonDir: string,
  problems: LessonProblem[],
): Promise<LoadedLesson | null> {
  const before = problems.length;
  const manifestFile = join(lessonDir, "lesson.json");
  const parsed = parseManifest(manifestFile, await readFile(manifestFile, "utf8"));
  if (Array.isArray(parsed)) {
    problems.push(...parsed);
    return null;
  }
  const manifest: LessonManifest = parsed;
  const introduction = await readText(join(lessonDir, "introduction.md"), problems);
  const topologyFile = join(lessonDir, "topology.ts");
  const topology = await loadTopology(topologyFile, problems);

  const folders = (await readdir(lessonDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const exercises: LoadedExercise[] = [];
  for (const [index, entry] of manifest.exercises.entries()) {
    const folder = folders.find((f) => f === entry.id || new RegExp(`^\\d+-${entry.id}$`).test(f));
    if (!folder) {
      problems.push({
        file: manifestFile,
        field: `exercises[${index}].id`,
        message: `no folder "${entry.id}" or "NN-${entry.id}" beside lesson.json`,
      });
      continue;
    }
    const exercise = await inspectExercise(manifest, index, join(lessonDir, folder), problems);
    if (exercise) exercises.push(exercise);
  }
  if (topology) probeTopology(topologyFile, topology, manifest, problems);
  if (problems.length > before || !topology || introduction === null) return null;

  const hash = await checksHash(
    lessonDir,
    manifest.exercises.map((e) => e.id),
  );
  return {
    dir: lessonDir,
    declaredVersion: manifest.version,
    topology,
    topologyFile,
    exercises,
    detail: {
      id: manifest.id,
      title: manifest.title,
      version: `${manifest.version}+${hash}`,
      order: manifest.order,
      summary: manifest.summary,
      introduction,
      exercises: exercises.map((exercise) => exercise.detail),
    },
  };
}

async function inspectExercise(
  manifest: LessonManifest,
  index: number,
  dir: string,
  problems: LessonProblem[],
): Promise<LoadedExercise | null> {
  const before = problems.length;
  const entry = manifest.exercises[index]!;
  const instructions = await readText(join(dir, "instructions.md"), problems);
  const starter = await readSource(dir, "starter", problems);
  const solution = await readSource(dir, "solution", problems);
  const rust = {
    starter: await readRust(dir, "starter"),
    solution: await readRust(dir, "solution"),
  };
  const checksFile = join(dir, "checks.ts");
  let checks: LoadedExercise["checks"] = [];
  if (!existsSync(checksFile)) {
    problems.push({ file: checksFile, message: "is missing" });
  } else {
    const imported = await importModule(checksFile);
    if ("message" in imported) problems.push(imported);
    else {
      const validated = validateChecks(checksFile, imported.module.default);
      problems.push(...validated.problems);
      checks = validated.checks;
    }
  }
  const checkIds = new Set([OUTCOME_CHECK_ID, ...checks.map((c) => c.id)]);
  const wrongAnswers = await readWrongAnswers(join(dir, "wrong"), checkIds, problems);
  if (problems.length > before || !instructions || !starter || !solution) return null;
  return {
    lessonId: manifest.id,
    dir,
    starter,
    solution,
    rust,
    checks,
    checksFile,
    wrongAnswers,
    detail: {
      id: entry.id,
      title: entry.title,
      order: index + 1,
      instructions,
      starterCode: starter.code,
      language: starter.language,
      starterCodeByLanguage: {
        [starter.language]: starter.code,
        ...(rust.starter ? { rust: rust.starter.code } : {}),
      },
      checks: [
        { id: OUTCOME_CHECK_ID, title: "Your program ran to its end", weight: 1, required: true },
        ...checks.map(({ id, title, weight, required }) => ({ id, title, weight, required })),
      ],
    },
  };
}

async function loadTopology(
  file: string,
  problems: LessonProblem[],
): Promise<TopologyFactory | null> {
  if (!existsSync(file)) {
    problems.push({ file, message: "is missing" });
    return null;
  }
  const imported = await importModule(file);
  if ("message" in imported) {
    problems.push(imported);
    return null;
  }
  const factory = imported.module.default;
  if (typeof factory !== "function") {
    problems.push({
      file,
      field: "default",
      message: "must export default a function (seed, exerciseId) => { topology, files, view }",
    });
    return null;
  }
  return factory as TopologyFactory;
}

/** Builds each exercise's network for a few seeds and runs netsim's own validation on it. */
function probeTopology(
  file: string,
  factory: TopologyFactory,
  manifest: LessonManifest,
  problems: LessonProblem[],
): void {
  for (const { id } of manifest.exercises) {
    for (const seed of PROBE_SEEDS) {
      let found: string[];
      try {
        const instance = factory(seed, id);
        found = validateTopology(instance.topology);
        if (
          instance.view?.learner?.address !==
          hostAddress(instance.topology, instance.topology.learnerHost)
        ) {
          found.push("view.learner.address is not the learner host's address");
        }
      } catch (error) {
        found = [`throws: ${errorText(error)}`];
      }
      if (found.length > 0) {
        problems.push({ file, field: `exercise "${id}", seed ${seed}`, message: found.join("; ") });
        return;
      }
    }
  }
}

function hostAddress(
  topology: { hosts: { name: string; address: string }[] },
  name: string,
): string | undefined {
  return topology.hosts.find((host) => host.name === name)?.address;
}

async function readText(file: string, problems: LessonProblem[]): Promise<string | null> {
  try {
    const text = await readFile(file, "utf8");
    if (text.trim() === "") {
      problems.push({ file, message: "is empty" });
      return null;
    }
    return text;
  } catch {
    problems.push({ file, message: "is missing" });
    return null;
  }
}

async function readSource(
  dir: string,
  base: "starter" | "solution",
  problems: LessonProblem[],
): Promise<SourceFile | null> {
  const candidates = (["js", "ts"] as const).filter((ext) =>
    existsSync(join(dir, `${base}.${ext}`)),
  );
  if (candidates.length !== 1) {
    problems.push({
      file: join(dir, `${base}.js`),
      message:
        candidates.length === 0
          ? `is missing (or ${base}.ts)`
          : `both ${base}.js and ${base}.ts exist; keep one`,
    });
    return null;
  }
  const file = join(dir, `${base}.${candidates[0]}`);
  return { file, code: await readFile(file, "utf8"), language: languageOf(file) };
}

/** starter.rs / solution.rs: the exercise in Rust, optional beside the JavaScript one. */
async function readRust(dir: string, base: "starter" | "solution"): Promise<SourceFile | null> {
  const file = join(dir, `${base}.rs`);
  if (!existsSync(file)) return null;
  return { file, code: await readFile(file, "utf8"), language: "rust" };
}

async function readWrongAnswers(
  dir: string,
  checkIds: Set<string>,
  problems: LessonProblem[],
): Promise<WrongAnswer[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((name) => /\.(js|ts|rs)$/.test(name)).sort();
  const answers: WrongAnswer[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const code = await readFile(file, "utf8");
    // The manifest is the file's own header, so a mistake and its expectation travel together.
    const expectFail = /^\/\/\s*expect-fail:\s*(\S+)\s*$/m.exec(code)?.[1];
    const expectMessage = /^\/\/\s*expect-message:\s*(.+?)\s*$/m.exec(code)?.[1];
    const expectSubject = /^\/\/\s*expect-subject:\s*(.+?)\s*$/m.exec(code)?.[1];
    if (!expectFail) {
      problems.push({
        file,
        field: "expect-fail",
        message: 'needs a "// expect-fail: <check-id>" line',
      });
    } else if (!checkIds.has(expectFail)) {
      problems.push({
        file,
        field: "expect-fail",
        message: `"${expectFail}" is not a check of this exercise`,
      });
    } else {
      answers.push({
        file,
        code,
        language: languageOf(file),
        expectFail,
        ...(expectMessage === undefined ? {} : { expectMessage }),
        ...(expectSubject === undefined ? {} : { expectSubject }),
      });
    }
  }
  return answers;
}

function languageOf(file: string): Language {
  if (file.endsWith(".rs")) return "rust";
  return file.endsWith(".ts") ? "typescript" : "javascript";
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
