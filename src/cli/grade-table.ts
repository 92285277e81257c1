// A grade as a table for a terminal: one row per check (verdict, title, what happened), the hint
// under a failed one, then the verdict. Colours only when asked (a terminal, not a pipe).
import type { Grade } from "../grading/types.ts";

const paint = (colour: boolean, code: number, text: string) =>
  colour ? `\x1b[${code}m${text}\x1b[0m` : text;

export function formatGrade(
  grade: Grade,
  exercise: { lessonId: string; exerciseId: string },
  colour: boolean,
): string {
  const titleWidth = Math.min(48, Math.max(5, ...grade.checks.map((check) => check.title.length)));
  const lines = [
    `  ${"".padEnd(6)}${"check".padEnd(titleWidth)}  result`,
    `  ${"".padEnd(6)}${"-".repeat(titleWidth)}  ${"-".repeat(6)}`,
  ];
  for (const check of grade.checks) {
    const mark = check.passed
      ? paint(colour, 32, "ok")
      : check.required
        ? paint(colour, 31, "FAIL")
        : paint(colour, 33, "miss");
    const gap = " ".repeat(6 - (check.passed ? 2 : 4));
    const title =
      check.title.length > titleWidth ? `${check.title.slice(0, titleWidth - 1)}…` : check.title;
    const bonus = check.required ? "" : " (bonus)";
    lines.push(`  ${mark}${gap}${title.padEnd(titleWidth)}  ${check.message}${bonus}`);
    if (!check.passed && check.hint) {
      lines.push(`  ${"".padEnd(6 + titleWidth)}  ${paint(colour, 2, `hint: ${check.hint}`)}`);
    }
  }
  const required = grade.checks.filter((check) => check.required);
  const passedRequired = required.filter((check) => check.passed).length;
  const verdict = grade.passed ? paint(colour, 32, "PASSED") : paint(colour, 31, "FAILED");
  lines.push(
    "",
    `${paint(colour, 1, verdict)} ${exercise.lessonId}/${exercise.exerciseId}: score ${grade.score}/100, ${passedRequired} of ${required.length} required checks passed`,
  );
  return `${lines.join("\n")}\n`;
}
