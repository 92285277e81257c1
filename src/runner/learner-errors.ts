// Errors from the isolate, turned into LearnerError: positioned in the learner's own source,
// with a stack that shows only the learner's frames (never host paths or sandbox internals).
import type { LearnerError } from "./types.ts";
import type { PositionMapper } from "./source-map.ts";

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;
const COMPILE_POSITION = /\s*\[(.+?):(\d+):(\d+)\]$/;

export interface SourceInfo {
  filename: string;
  map: PositionMapper | null;
}

function mapPosition(source: SourceInfo, line: number, column: number) {
  return source.map ? source.map({ line, column }) : { line, column };
}

/** V8's SyntaxError from compileModule: "Unexpected token ';' [main.js:1:9]". */
export function compileErrorFrom(error: unknown, source: SourceInfo): LearnerError {
  const message = error instanceof Error ? error.message : String(error);
  const match = COMPILE_POSITION.exec(message);
  const text = message.replace(COMPILE_POSITION, "");
  if (!match || match[1] !== source.filename) return { name: "SyntaxError", message: text };
  const position = mapPosition(source, Number(match[2]), Number(match[3]));
  return { name: "SyntaxError", message: text, line: position.line, column: position.column };
}

/**
 * V8's SyntaxError from linking, which has no position: "The requested module 'net' does not
 * provide an export named 'QuicStream'". Placed on the first import or export line naming it.
 */
export function linkErrorFrom(error: SyntaxError, code: string, source: SourceInfo): LearnerError {
  const message = error.message.replace(COMPILE_POSITION, "");
  const name = /export named '([^']*)'/.exec(message)?.[1];
  const lines = code.split("\n");
  // A default import does not spell "default": `import net from "net"`.
  const names =
    name === "default"
      ? (line: string) => /\bimport\s+[\w$]+\s*(,|from\b)/.test(line)
      : (line: string) => /\b(import|export)\b/.test(line) && line.includes(name ?? "\0");
  const index = name ? lines.findIndex(names) : -1;
  if (index < 0) return { name: "SyntaxError", message };
  const column = name === "default" ? 1 : lines[index]!.indexOf(name!) + 1;
  const position = mapPosition(source, index + 1, Math.max(1, column));
  return { name: "SyntaxError", message, line: position.line, column: position.column };
}

/** A thrown value at the end of a run: an Error (copied by isolated-vm) or anything else. */
export function runtimeErrorFrom(thrown: unknown, source: SourceInfo): LearnerError {
  if (!(thrown instanceof Error)) {
    return { name: "Uncaught", message: `a non-Error value was thrown: ${describe(thrown)}` };
  }
  const name = typeof thrown.name === "string" && thrown.name ? thrown.name : "Error";
  const message = typeof thrown.message === "string" ? thrown.message : "";
  const frames: string[] = [];
  let first: { line: number; column: number } | undefined;
  for (const line of (typeof thrown.stack === "string" ? thrown.stack : "").split("\n")) {
    const match = FRAME.exec(line);
    if (!match || match[2] !== source.filename) continue;
    const position = mapPosition(source, Number(match[3]), Number(match[4]));
    first ??= position;
    const where = `${source.filename}:${position.line}:${position.column}`;
    frames.push(match[1] ? `    at ${match[1]} (${where})` : `    at ${where}`);
  }
  const stack = [`${name}: ${message}`, ...frames].join("\n");
  return { name, message, ...(first ? { line: first.line, column: first.column } : {}), stack };
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 200));
  if (value === null || typeof value !== "object") return String(value);
  return "an object";
}

const MAX_NAME = 100;
const MAX_MESSAGE = 2_000;
const MAX_FRAMES = 50;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Not in the middle of a surrogate pair: a lone half would not survive UTF-8.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? "") ? max - 1 : max;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/**
 * A learner's error cut to a readable size: `throw new Error("x".repeat(2e7))` or a stack of
 * thousands of frames (Error.stackTraceLimit = Infinity) would otherwise travel whole into the
 * result (tens of MB over IPC, into the database and onto the learner's screen).
 */
export function boundedError(error: LearnerError): LearnerError {
  const name = clip(error.name, MAX_NAME);
  const message = clip(error.message, MAX_MESSAGE);
  if (error.stack === undefined) return { ...error, name, message };
  const frames = error.stack.split("\n").slice(1);
  const kept = frames.filter((frame) => frame.startsWith("    at ")).slice(0, MAX_FRAMES);
  if (frames.length > kept.length) {
    kept.push(`    … ${frames.length - kept.length} more frames`);
  }
  return { ...error, name, message, stack: [`${name}: ${message}`, ...kept].join("\n") };
}
