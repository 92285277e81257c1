// What the program printed, as checks read it.
import type { RunResult } from "../../runner/types.ts";

/** Everything printed to standard output, lines joined with "\n". */
export function printed(run: RunResult): string {
  return run.output
    .filter((line) => line.stream === "stdout")
    .map((line) => line.text)
    .join("\n");
}

/** Every dotted quad in the printed text, in order (octets 0–255, no leading zeros). */
export function printedAddresses(run: RunResult): string[] {
  const found: string[] = [];
  const quad = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/g;
  for (const match of printed(run).matchAll(quad)) {
    const octets = match.slice(1, 5);
    if (octets.every((o) => Number(o) <= 255 && (o === "0" || !o.startsWith("0")))) {
      found.push(octets.join("."));
    }
  }
  return found;
}

/** The first printed line, shortened for feedback. */
export function firstPrintedLine(run: RunResult, max = 60): string | null {
  const line = run.output.find((l) => l.stream === "stdout")?.text;
  if (line === undefined) return null;
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
