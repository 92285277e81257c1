// The grade as a checklist: each check passed or failed, said with an icon and a word (never
// colour alone), with the feedback and the hint, and a link to the packet (and field) it is
// about when it has one. Before a run, the checks the exercise will be graded on.
import type { Check, CheckSubject, Exercise, Grade, Packet } from "../api/client.ts";
import { findFieldAtPath } from "../packets/field-path.ts";

interface Props {
  exercise: Exercise;
  grade: Grade | undefined;
  /** The run's packets, to name the field a check links to. */
  packets: readonly Packet[];
  /** Shows a check's packet and field in the packet views. */
  onShow: (subject: CheckSubject) => void;
}

export function GradeView({ exercise, grade, packets, onShow }: Props) {
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
            {check.subject && (
              <SubjectLink
                check={check}
                subject={check.subject}
                packets={packets}
                onShow={onShow}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function SubjectLink({
  check,
  subject,
  packets,
  onShow,
}: {
  check: Check;
  subject: CheckSubject;
  packets: readonly Packet[];
  onShow: (subject: CheckSubject) => void;
}) {
  const packet = packets.find((p) => p.seq === subject.packet);
  const field =
    packet && subject.field !== undefined ? findFieldAtPath(packet, subject.field) : undefined;
  const label = `packet ${subject.packet}${field ? ` · ${field.title}` : ""}`;
  // A replay keeps only the first packets of a long run: a later one cannot be shown.
  if (!packet) return <div class="check-subject muted">About {label} (not kept)</div>;
  return (
    <div class="check-subject">
      <button
        type="button"
        class="link"
        aria-label={`Show ${label} for “${check.title}”`}
        onClick={() => onShow(subject)}
      >
        → {label}
      </button>
    </div>
  );
}
