// The learner's code as the isolate will compile it: JavaScript as written (so V8's positions
// are the learner's own), TypeScript with its types stripped by esbuild plus a source map back.
import { transform, type Message } from "esbuild";
import type { Language, LearnerError } from "./types.ts";
import { createMapper, type PositionMapper } from "./source-map.ts";

export interface PreparedSource {
  code: string;
  /** The name V8 puts in stack traces; learner frames are recognised by it. */
  filename: string;
  map: PositionMapper | null;
}

export type PrepareResult =
  { ok: true; source: PreparedSource } | { ok: false; error: LearnerError };

export const FILENAMES: Record<Language, string> = {
  javascript: "main.js",
  typescript: "main.ts",
  rust: "main.rs",
};

export async function prepareSource(
  written: string,
  language: Exclude<Language, "rust">,
): Promise<PrepareResult> {
  const filename = FILENAMES[language];
  // A byte order mark (editors on Windows write one) is invisible to the learner and would
  // make a following `#!` line a syntax error in V8 and esbuild alike; Node strips it too.
  const code = written.charCodeAt(0) === 0xfeff ? written.slice(1) : written;
  if (language === "javascript") return { ok: true, source: { code, filename, map: null } };
  try {
    const result = await transform(code, {
      loader: "ts",
      format: "esm",
      target: "es2022",
      sourcemap: "external",
      sourcefile: filename,
      logLevel: "silent",
    });
    return { ok: true, source: { code: result.code, filename, map: createMapper(result.map) } };
  } catch (error) {
    const first = (error as { errors?: Message[] }).errors?.[0];
    if (!first) throw error;
    const location = first.location;
    return {
      ok: false,
      error: {
        name: "SyntaxError",
        message: first.text,
        ...(location ? { line: location.line, column: location.column + 1 } : {}),
      },
    };
  }
}
