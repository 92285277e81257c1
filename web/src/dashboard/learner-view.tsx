// One learner's attempts, newest first: grade, output, the code with what changed since the
// attempt before it, and the run's packets in the same (read-only) packet browser.
import { useState } from "preact/hooks";
import type { Api, Packet, Submission } from "../api/client.ts";
import { PacketBrowser } from "../packets/packet-browser.tsx";
import { useLoad } from "../use-load.ts";
import { lineDiff } from "./line-diff.ts";

interface Props {
  api: Api;
  classId: string;
  learnerId: string;
  name: string;
}

export function LearnerView({ api, classId, learnerId, name }: Props) {
  const page = useLoad(() => api.learnerSubmissions(classId, learnerId), [api, classId, learnerId]);
  const items = page.value?.items ?? [];
  return (
    <section aria-labelledby="learner-title" class="learner-view">
      <h2 id="learner-title">Attempts of {name}</h2>
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
          onClick={() => void api.trace(submission.id).then((trace) => setPackets(trace.packets))}
        >
          Show its packets
        </button>
      )}
    </li>
  );
}
