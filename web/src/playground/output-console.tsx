// What the program printed, in order, stderr marked in words as well as colour.
import type { OutputLine } from "../api/client.ts";

export function OutputConsole({ lines, note }: { lines: readonly OutputLine[]; note?: string }) {
  return (
    <section aria-labelledby="output-title">
      <h2 id="output-title">Output</h2>
      <pre class="console" tabIndex={0} aria-label="Program output">
        {lines.length === 0 && !note && <span class="muted">Nothing printed.</span>}
        {lines.map((line, index) => (
          <div key={index} class={line.stream}>
            {line.stream === "stderr" && <span class="tag">[stderr] </span>}
            {line.text}
          </div>
        ))}
        {note && <div class="stderr">{note}</div>}
      </pre>
    </section>
  );
}
