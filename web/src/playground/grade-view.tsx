// The grade as a checklist: each check passed or failed, said with an icon and a word (never
// colour alone), with the feedback and the hint. Before a run, the checks the exercise will be
// graded on.
import type { Exercise, Grade } from "../api/client.ts";

export function GradeView({ exercise, grade }: { exercise: Exercise; grade: Grade | undefined }) {
  if (!grade) {
    return (
      <section aria-labelledby="checks-title" class="grade">
        <h2 id="checks-title">Checks</h2>
        <ul class="checks">
          {exercise.checks.map((check) => (
            <li key={check.id} class="check pending">
              <span aria-hidden="true">○</span> {check.title}
              {!check.required && <span class="muted"> (bonus)</span>}
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return (
    <section aria-labelledby="checks-title" class="grade">
      <h2 id="checks-title">
        {grade.passed ? "✓ Passed" : "✗ Not yet"} <span class="muted">· score {grade.score}</span>
      </h2>
      <ul class="checks">
        {grade.checks.map((check) => (
          <li key={check.id} class={`check ${check.passed ? "passed" : "failed"}`}>
            <span aria-hidden="true">{check.passed ? "✓" : "✗"}</span>{" "}
            <span class="visually-hidden">{check.passed ? "Passed:" : "Failed:"}</span>
            <strong>{check.title}</strong>
            {!check.required && <span class="muted"> (bonus)</span>}
            <div class="check-message">{check.message}</div>
            {!check.passed && check.hint && <div class="hint">Hint: {check.hint}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
