// The learner × exercise matrix with the API's signals: each cell's status, attempts and best
// score, the latest attempt's first failing check, and whether the learner looks stuck (and why).
// Every signal is in words as well as colour. Filters: stuck learners, learners with an exercise
// not passed, learners inactive for 10 minutes (or who never submitted).
import { useEffect, useState } from "preact/hooks";
import type { ClassProgress, ProgressCell } from "../api/client.ts";
import { navigate } from "../route.ts";

export const INACTIVE_MS = 10 * 60_000;

export type Filter = "all" | "stuck" | "not-passed" | "inactive";

type Learner = ClassProgress["learners"][number];

function lastActivity(learner: Learner): number {
  return Math.max(
    0,
    ...learner.cells.map((c) => (c.lastActivityAt ? Date.parse(c.lastActivityAt) : 0)),
  );
}

export function filterLearners(learners: Learner[], filter: Filter, now: number): Learner[] {
  return learners.filter((learner) => {
    if (filter === "stuck") return learner.cells.some((c) => c.stuck);
    if (filter === "not-passed") return learner.cells.some((c) => c.status !== "passed");
    if (filter === "inactive") return now - lastActivity(learner) > INACTIVE_MS;
    return true;
  });
}

/** The time now, again every `ms` (so "inactive for 10 minutes" changes without an event). */
function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

function ago(ms: number, now: number): string {
  if (ms === 0) return "never";
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} h ago` : new Date(ms).toLocaleDateString();
}

export function Matrix({
  progress,
  filter,
  classId,
  selected,
}: {
  progress: ClassProgress;
  filter: Filter;
  classId: string;
  selected?: string;
}) {
  const now = useNow(30_000);
  if (progress.learners.length === 0) {
    return <p class="muted">No learner has joined yet.</p>;
  }
  const learners = filterLearners(progress.learners, filter, now);
  return (
    <>
      <p class="muted" role="status">
        Showing {learners.length} of {progress.learners.length} learners.
      </p>
      <div class="matrix-scroll" tabIndex={0} aria-label="Progress matrix">
        <table class="matrix">
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Last active</th>
              {progress.exercises.map((e) => (
                <th key={`${e.lessonId}/${e.exerciseId}`} scope="col">
                  {e.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {learners.map((learner) => (
              <tr key={learner.id} data-learner={learner.id}>
                <th scope="row">
                  <button
                    type="button"
                    class="link"
                    aria-current={learner.id === selected ? "true" : undefined}
                    onClick={() => navigate("teach", classId, learner.id)}
                  >
                    {learner.displayName}
                  </button>
                </th>
                <td>{ago(lastActivity(learner), now)}</td>
                {learner.cells.map((cell, index) => (
                  <Cell
                    key={index}
                    cell={cell}
                    exerciseId={progress.exercises[index]?.exerciseId}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Cell({ cell, exerciseId }: { cell: ProgressCell; exerciseId: string | undefined }) {
  const failing = cell.latest && !cell.latest.passed ? cell.latest.firstFailedCheck : null;
  return (
    <td
      class={`cell ${cell.status}`}
      data-status={cell.status}
      data-stuck={cell.stuck ? cell.stuck.reason : undefined}
      data-exercise={exerciseId}
    >
      {cell.status === "passed"
        ? "✓ passed"
        : cell.status === "attempted"
          ? `✗ ${cell.attempts} ${cell.attempts === 1 ? "try" : "tries"}`
          : "○"}
      {cell.status !== "not-started" && <span class="muted"> · {cell.bestScore}</span>}
      {cell.status === "not-started" && <span class="visually-hidden">not started</span>}
      {failing && (
        <div class="cell-note" title={failing.title}>
          {cell.status === "passed" ? "latest fails: " : "fails: "}
          {failing.title}
        </div>
      )}
      {cell.stuck && (
        <div class="cell-note stuck" title={cell.stuck.message}>
          ⚠ stuck<span class="visually-hidden">: {cell.stuck.message}</span>
        </div>
      )}
    </td>
  );
}
