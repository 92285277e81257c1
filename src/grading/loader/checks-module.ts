// A checks.ts module, imported and checked: it must export (by default) a list of checks, each
// with a unique kebab-case id, a title, a positive weight, required true/false and a function.
import { pathToFileURL } from "node:url";
import type { CheckDefinition } from "../check.ts";
import type { LessonProblem } from "../lesson.ts";
import { OUTCOME_CHECK_ID } from "../outcome.ts";
import { prebuiltModule } from "./prebuilt.ts";

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Defined by scripts/build.mjs: the service runs as JavaScript from dist/, without a loader for
// TypeScript, so a lesson's checks are bundled by esbuild (with the grading kit and anything else
// they import by relative path) and imported as one module. tsx's loader for the same import took
// about a second of start-up. The copy `npm run build` bundled (prebuilt.ts) comes first.
declare const PACKETLAB_BUILD: string | undefined;

async function importTypeScript(file: string): Promise<unknown> {
  if (typeof PACKETLAB_BUILD === "undefined") return import(pathToFileURL(file).href);
  const prebuilt = await prebuiltModule(file);
  if (prebuilt) return import(prebuilt);
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.text ?? "";
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

/** Imports a lesson's TypeScript module; an import that fails becomes a problem, not a throw. */
export async function importModule(
  file: string,
): Promise<{ module: Record<string, unknown> } | LessonProblem> {
  try {
    return { module: (await importTypeScript(file)) as Record<string, unknown> };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { file, message: `cannot be loaded: ${text.split("\n")[0]}` };
  }
}

export function validateChecks(
  file: string,
  exported: unknown,
): { checks: CheckDefinition[]; problems: LessonProblem[] } {
  const problems: LessonProblem[] = [];
  if (!Array.isArray(exported)) {
    problems.push({ file, field: "default", message: "must export default a list of checks" });
    return { checks: [], problems };
  }
  const seen = new Set<string>([OUTCOME_CHECK_ID]);
  exported.forEach((check: unknown, index) => {
    const c = (typeof check === "object" && check !== null ? check : {}) as Record<string, unknown>;
    const at = `checks[${index}]`;
    if (typeof c.id !== "string" || !ID.test(c.id)) {
      problems.push({ file, field: `${at}.id`, message: "must be a kebab-case id" });
    } else if (seen.has(c.id)) {
      problems.push({
        file,
        field: `${at}.id`,
        message: `"${c.id}" is already used${c.id === OUTCOME_CHECK_ID ? " by the built-in outcome check" : ""}`,
      });
    } else {
      seen.add(c.id);
    }
    if (typeof c.title !== "string" || c.title.trim() === "") {
      problems.push({ file, field: `${at}.title`, message: "must be non-empty text" });
    }
    if (typeof c.weight !== "number" || !(c.weight > 0) || !Number.isFinite(c.weight)) {
      problems.push({ file, field: `${at}.weight`, message: "must be a positive number" });
    }
    if (typeof c.required !== "boolean") {
      problems.push({ file, field: `${at}.required`, message: "must be true or false" });
    }
    if (typeof c.check !== "function") {
      problems.push({
        file,
        field: `${at}.check`,
        message: "must be a function (context) => verdict",
      });
    }
  });
  if (problems.length === 0 && !exported.some((c: CheckDefinition) => c.required)) {
    problems.push({ file, message: "needs at least one required check, or every run would pass" });
  }
  return { checks: problems.length === 0 ? (exported as CheckDefinition[]) : [], problems };
}
