// lesson.json, checked field by field so a teacher editing it by hand is told which field is
// wrong and why, not handed a stack trace.
import type { LessonProblem } from "../lesson.ts";

export interface LessonManifest {
  id: string;
  title: string;
  version: string;
  order: number;
  summary: string;
  exercises: { id: string; title: string }[];
}

// Ids appear in URLs and stored grades: kebab-case keeps them readable and stable.
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Semantic Versioning 2.0.0, core only: the loader appends the checks' hash as build metadata.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseManifest(file: string, text: string): LessonManifest | LessonProblem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return [{ file, message: `not valid JSON (${(error as Error).message})` }];
  }
  const problems: LessonProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ file, field, message });
  };
  if (!isRecord(data)) return [{ file, message: "must be a JSON object" }];

  const id = data.id;
  if (typeof id !== "string" || !ID.test(id) || id.length > 64) {
    problem("id", `must be kebab-case letters and digits, at most 64 (got ${show(id)})`);
  }
  checkText(data.title, "title", 120, problem);
  checkText(data.summary, "summary", 500, problem);
  if (typeof data.version !== "string" || !SEMVER.test(data.version)) {
    problem("version", `must be a version like "1.0.0" (got ${show(data.version)})`);
  }
  if (typeof data.order !== "number" || !Number.isInteger(data.order) || data.order < 1) {
    problem("order", `must be a whole number from 1 (got ${show(data.order)})`);
  }
  const exercises = data.exercises;
  if (!Array.isArray(exercises) || exercises.length === 0) {
    problem("exercises", "must be a non-empty list of { id, title }");
  } else {
    const seen = new Set<string>();
    exercises.forEach((exercise: unknown, index) => {
      const at = `exercises[${index}]`;
      if (!isRecord(exercise)) return problem(at, "must be an object { id, title }");
      const exerciseId = exercise.id;
      if (typeof exerciseId !== "string" || !ID.test(exerciseId) || exerciseId.length > 64) {
        problem(`${at}.id`, `must be kebab-case letters and digits (got ${show(exerciseId)})`);
      } else if (seen.has(exerciseId)) {
        problem(`${at}.id`, `"${exerciseId}" is used by an earlier exercise`);
      } else {
        seen.add(exerciseId);
      }
      checkText(exercise.title, `${at}.title`, 120, problem);
    });
  }
  for (const key of Object.keys(data)) {
    if (!["id", "title", "version", "order", "summary", "exercises"].includes(key)) {
      problem(key, "is not a lesson.json field (typo?)");
    }
  }
  return problems.length > 0 ? problems : (data as unknown as LessonManifest);
}

function checkText(
  value: unknown,
  field: string,
  max: number,
  problem: (field: string, message: string) => void,
): void {
  if (typeof value !== "string" || value.trim().length === 0) {
    problem(field, `must be non-empty text (got ${show(value)})`);
  } else if (value.length > max) {
    problem(field, `must be at most ${max} characters (has ${value.length})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
