// The learner's earlier attempts at this exercise, newest first: replay one in the packet views,
// or take its code back into the editor.
import type { Api, SubmissionSummary } from "../api/client.ts";
import { useLoad } from "../use-load.ts";

interface Props {
  api: Api;
  lessonId: string;
  exerciseId: string;
  /** Changes after each graded run, to list it. */
  version: number;
  onReplay: (attempt: SubmissionSummary) => void;
  onLoadCode: (attempt: SubmissionSummary) => void;
}

export function Attempts({ api, lessonId, exerciseId, version, onReplay, onLoadCode }: Props) {
  const attempts = useLoad(
    () => api.submissions({ lessonId, exerciseId }),
    [api, lessonId, exerciseId, version],
  );
  const items = attempts.value?.items ?? [];
  return (
    <section aria-labelledby="attempts-title">
      <h2 id="attempts-title">Earlier attempts</h2>
      {items.length === 0 && <p class="muted">None yet.</p>}
      <ol class="attempts" reversed>
        {items.map((attempt) => (
          <li key={attempt.id}>
            <span>
              {attempt.passed ? "✓ passed" : "✗ failed"} · {attempt.score} ·{" "}
              {new Date(attempt.createdAt).toLocaleTimeString()}
            </span>{" "}
            <button type="button" class="link" onClick={() => onReplay(attempt)}>
              Replay
            </button>
            <button type="button" class="link" onClick={() => onLoadCode(attempt)}>
              Load its code
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
