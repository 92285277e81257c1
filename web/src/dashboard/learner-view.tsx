// One learner: the roster actions, then their attempts, newest first (older pages on demand):
// grade, output, the code with what changed since the attempt before it on the same exercise,
// and the run's packets in the same (read-only) packet browser. The first page is asked again
// when the feed says this learner submitted.
import { useEffect, useState } from "preact/hooks";
import type { Api, Packet, Submission } from "../api/client.ts";
import { PacketBrowser } from "../packets/packet-browser.tsx";
import { useLoad } from "../use-load.ts";
import { lineDiff } from "./line-diff.ts";
import { LearnerActions } from "./roster-actions.tsx";

interface Learner {
  id: string;
  displayName: string;
}

interface Props {
  api: Api;
  classId: string;
  learner: Learner;
  learners: Learner[];
  /** No longer in the class: removed or merged away elsewhere (the activity feed said so). */
  gone: boolean;
  /** Changes when the learner submits: the attempts are asked for again. */
  refresh: string;
  onRosterChanged: () => void;
  onRemoved: () => void;
}

export function LearnerView({
  api,
  classId,
  learner,
  learners,
  gone,
  refresh,
  onRosterChanged,
  onRemoved,
}: Props) {
  const page = useLoad(
    () => api.learnerSubmissions(classId, learner.id),
    [api, classId, learner.id, refresh],
  );
  const [older, setOlder] = useState<Submission[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [olderError, setOlderError] = useState("");
  useEffect(() => {
    setOlder([]);
    setCursor(page.value?.nextCursor ?? null);
  }, [page.value]);

  const items = [...(page.value?.items ?? []), ...older];
  const name = learner.displayName;
  const more = () => {
    if (!cursor) return;
    setOlderError("");
    api.learnerSubmissions(classId, learner.id, cursor).then(
      (next) => {
        setOlder((known) => [...known, ...next.items]);
        setCursor(next.nextCursor);
      },
      (caught: unknown) => setOlderError(caught instanceof Error ? caught.message : String(caught)),
    );
  };
  return (
    <section aria-labelledby="learner-title" class="learner-view">
      <h2 id="learner-title">Attempts of {name}</h2>
      {gone && (
        <p class="muted" role="status">
          {name} is no longer in the class: removed or merged elsewhere.
        </p>
      )}
      <LearnerActions
        key={learner.id}
        api={api}
        classId={classId}
        learner={learner}
        learners={learners}
        onChanged={onRosterChanged}
        onRemoved={onRemoved}
      />
      {page.error && <p role="alert">{page.error}</p>}
      {items.length === 0 && page.value && <p class="muted">No attempt yet.</p>}
      <ol class="learner-attempts">
        {items.map((submission, index) => (
          <Attempt
            key={submission.id}
            api={api}
            name={name}
            submission={submission}
            previous={items.slice(index + 1).find((s) => s.exerciseId === submission.exerciseId)}
          />
        ))}
      </ol>
      {cursor && (
        <button type="button" class="secondary" onClick={more}>
          Show older attempts
        </button>
      )}
      {olderError && (
        <p class="error" role="alert">
          {olderError}
        </p>
      )}
    </section>
  );
}

function Attempt({
  api,
  name,
  submission,
  previous,
}: {
  api: Api;
  name: string;
  submission: Submission;
  previous: Submission | undefined;
}) {
  const [packets, setPackets] = useState<Packet[]>();
  const [traceError, setTraceError] = useState("");
  const diff = lineDiff(previous?.code ?? "", submission.code);
  return (
    <li class="card">
      <h3>
        {submission.exerciseId} · {submission.passed ? "✓ passed" : "✗ failed"} · score{" "}
        {submission.score} · {new Date(submission.createdAt).toLocaleString()}
      </h3>
      <p>{submission.message}</p>
      <ul class="checks">
        {submission.grade.checks.map((check) => (
          <li key={check.id} class={`check ${check.passed ? "passed" : "failed"}`}>
            <span aria-hidden="true">{check.passed ? "✓" : "✗"}</span>{" "}
            <span class="visually-hidden">{check.passed ? "Passed:" : "Failed:"}</span>
            {check.title}: {check.message}
          </li>
        ))}
      </ul>
      <details>
        <summary>Code{previous ? " (changes since the previous attempt)" : ""}</summary>
        <pre class="diff" tabIndex={0}>
          {diff.map((line, i) => (
            <div key={i} class={`diff-${line.kind}`}>
              {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
              {line.text}
            </div>
          ))}
        </pre>
      </details>
      {submission.output.length > 0 && (
        <details>
          <summary>Output</summary>
          <pre class="console" tabIndex={0}>
            {submission.output.map((line) => line.text).join("\n")}
          </pre>
        </details>
      )}
      {packets ? (
        <PacketBrowser packets={packets} names={{ learner: name }} />
      ) : (
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void api.trace(submission.id).then(
              (trace) => setPackets(trace.packets),
              (caught: unknown) =>
                setTraceError(caught instanceof Error ? caught.message : String(caught)),
            )
          }
        >
          Show its packets
        </button>
      )}
      {traceError && (
        <p class="error" role="alert">
          {traceError}
        </p>
      )}
    </li>
  );
}
