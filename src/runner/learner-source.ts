// The learner's code as the isolate will compile it: JavaScript as written (so V8's positions
// are the learner's own), TypeScript with its types stripped plus a source map back.
//
// Types are stripped by sucrase, in this process: about 0.1 ms for a lesson's program, where
// esbuild's transform cost about 1 ms of CPU (0.8 ms in its Go service, whatever the program's
// size, and 0.2 ms here for the round trip). Sucrase only removes TypeScript's syntax (and turns
// enums, namespaces and parameter properties into JavaScript); it lowers nothing else, which V8
// runs as it is. A program sucrase's parser refuses goes to esbuild, whose message says what is
// wrong and where.
import { stop, transform, type Message } from "esbuild";
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

/**
 * Transpiled TypeScript by its text, least recently used first out: a learner presses Run and
 * then Submit on the same program, or runs it again unchanged, and each transform costs about
 * 0.1 ms of this process's CPU (more with esbuild, above). The result is a pure function of the
 * text (no learner's state is in it); the cache holds at most TRANSPILE_CACHE_CHARS characters.
 */
const transpiled = new Map<string, { result: PrepareResult; chars: number }>();
const TRANSPILE_CACHE_CHARS = 8_000_000;
let cachedChars = 0;

export async function prepareSource(
  written: string,
  language: Exclude<Language, "rust">,
): Promise<PrepareResult> {
  // A byte order mark (editors on Windows write one) is invisible to the learner and would
  // make a following `#!` line a syntax error in V8 and esbuild alike; Node strips it too.
  const code = written.charCodeAt(0) === 0xfeff ? written.slice(1) : written;
  if (language === "javascript") {
    return { ok: true, source: { code, filename: FILENAMES.javascript, map: null } };
  }
  const hit = transpiled.get(code);
  if (hit) {
    transpiled.delete(code);
    transpiled.set(code, hit);
    return hit.result;
  }
  // Frozen: one result may be handed to many runs.
  const result = Object.freeze(await transpile(code));
  if (!result.ok) Object.freeze(result.error);
  const chars = code.length + (result.ok ? result.source.code.length * 2 : 0);
  if (chars > TRANSPILE_CACHE_CHARS / 8) return result;
  transpiled.set(code, { result, chars });
  cachedChars += chars;
  for (const [key, entry] of transpiled) {
    if (cachedChars <= TRANSPILE_CACHE_CHARS) break;
    transpiled.delete(key);
    cachedChars -= entry.chars;
  }
  return result;
}

/** V8's words for a program nested deeper than its parser's stack. */
const TOO_DEEP = "Maximum call stack size exceeded";

type Sucrase = typeof import("sucrase");
/** Loaded with the first TypeScript program: a worker that runs none never pays for it. */
let sucrase: Promise<Sucrase> | null = null;

async function transpile(code: string): Promise<PrepareResult> {
  const filename = FILENAMES.typescript;
  const { transform: stripTypes } = await (sucrase ??= import("sucrase"));
  try {
    const result = stripTypes(code, {
      transforms: ["typescript"],
      disableESTransforms: true,
      filePath: filename,
      sourceMapOptions: { compiledFilename: filename },
    });
    return {
      ok: true,
      source: { code: result.code, filename, map: createMapper(result.sourceMap!) },
    };
  } catch (thrown) {
    // A syntax error, or a program nested deeper than sucrase's parser's stack (RangeError), which
    // esbuild's may still take.
    if (thrown instanceof SyntaxError || thrown instanceof RangeError) {
      return transpileWithEsbuild(code, thrown instanceof RangeError);
    }
    throw thrown;
  }
}

/**
 * For a program sucrase refused: esbuild's error, or its output if it disagrees. A nesting deeper
 * than even esbuild takes (about a million brackets) overflows its Go stack and kills its
 * service, which never starts again by itself: every later program of this worker would have
 * failed. So a dead service is stopped (the next call starts a new one). When sucrase's stack
 * overflowed too (`tooDeep`), the program is the compile error V8 gives such a JavaScript program;
 * otherwise the failure is ours, and thrown.
 */
async function transpileWithEsbuild(code: string, tooDeep: boolean): Promise<PrepareResult> {
  const filename = FILENAMES.typescript;
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
    if (!first) {
      await stop();
      if (!tooDeep) throw error;
      return { ok: false, error: { name: "SyntaxError", message: TOO_DEEP } };
    }
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
