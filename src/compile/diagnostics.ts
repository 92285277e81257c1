// rustc's --error-format=json diagnostics → the learner's error, positioned in main.rs as the
// JavaScript path positions V8's. Paths inside the sandbox (the toolchain's, the facade's) are
// never shown: only the learner's own file name.
import type { LearnerError } from "../runner/types.ts";

export const SOURCE_FILE = "main.rs";

interface Span {
  file_name: string;
  line_start: number;
  column_start: number;
  is_primary: boolean;
  label: string | null;
}

interface Diagnostic {
  message: string;
  code: { code: string } | null;
  level: string;
  spans: Span[];
  rendered: string | null;
}

const MAX_RENDERED = 4000;

/** Any absolute path but the learner's file: the sandbox's layout is nobody's business. */
export function withoutPaths(text: string): string {
  return text
    .replace(/\/job\/main\.rs/g, SOURCE_FILE)
    .replace(/(?<![\w.])\/(?:[\w.+-]+\/)*[\w.+-]+/g, "<toolchain>");
}

function parseLines(text: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const value = JSON.parse(line) as Diagnostic;
      if (typeof value.message === "string" && Array.isArray(value.spans)) diagnostics.push(value);
    } catch {
      // A line cut at the capture limit.
    }
  }
  return diagnostics;
}

/** The first error rustc reported, or null when it reported none. */
export function compileErrorFrom(stderr: string): LearnerError | null {
  const diagnostics = parseLines(stderr);
  const errors = diagnostics.filter((d) => d.level === "error" || d.level.startsWith("error"));
  const first = errors.find((d) => !/^aborting due to/.test(d.message)) ?? errors[0];
  if (!first) return null;
  const span =
    first.spans.find((s) => s.is_primary && s.file_name === SOURCE_FILE) ??
    first.spans.find((s) => s.file_name === SOURCE_FILE);
  const code = first.code?.code ? `[${first.code.code}]` : "";
  const label = span?.label ? `: ${span.label}` : "";
  const rendered = errors
    .map((d) => d.rendered ?? "")
    .join("")
    .slice(0, MAX_RENDERED);
  return {
    name: `error${code}`,
    message: withoutPaths(`${first.message}${label}`),
    ...(span ? { line: span.line_start, column: span.column_start } : {}),
    ...(rendered ? { stack: withoutPaths(rendered) } : {}),
  };
}
