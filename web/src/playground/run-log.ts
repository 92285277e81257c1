// What a run has sent so far: its packets and its output, appended in place as they stream in.
// Packets arrive hundreds at a time; copying the arrays and setting the exercise's state once a
// frame re-rendered the whole exercise (editor, checks, attempts, packet views) each frame, at a
// cost that grew with the run. Here only the views that show the log subscribe to it, and they
// hear of new entries at most once a frame.
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useReducer } from "preact/hooks";
import type { OutputLine, Packet } from "../api/client.ts";

export interface RunLog {
  readonly packets: readonly Packet[];
  readonly output: readonly OutputLine[];
  /** Counts the changes its subscribers were told of. */
  readonly version: number;
  addPacket(packet: Packet): void;
  /** Several packets, in order, as the stream's `packets` message brings them. */
  addPackets(packets: readonly Packet[]): void;
  addOutput(line: OutputLine): void;
  /** The run's output as the server kept it, in place of what streamed. */
  setOutput(lines: readonly OutputLine[]): void;
  /** Tells the subscribers now of what would wait for the next frame (the run is over). */
  flush(): void;
  /** Stops waiting for a frame: the view is gone. */
  close(): void;
  subscribe(listener: () => void): () => void;
}

export function createRunLog(
  packets: readonly Packet[] = [],
  output: readonly OutputLine[] = [],
): RunLog {
  const kept = [...packets];
  let lines = [...output];
  let version = 0;
  let changed = false;
  let frame = 0;
  const listeners = new Set<() => void>();
  const notify = () => {
    frame = 0;
    if (!changed) return;
    changed = false;
    version++;
    for (const listener of listeners) listener();
  };
  const change = () => {
    changed = true;
    frame ||= requestAnimationFrame(notify);
  };
  const log: RunLog = {
    get packets() {
      return kept;
    },
    get output() {
      return lines;
    },
    get version() {
      return version;
    },
    addPacket(packet) {
      kept.push(packet);
      change();
    },
    addPackets(more) {
      for (const packet of more) kept.push(packet);
      change();
    },
    addOutput(line) {
      lines.push(line);
      change();
    },
    setOutput(next) {
      lines = [...next];
      changed = true;
      log.flush();
    },
    flush() {
      cancelAnimationFrame(frame);
      notify();
    },
    close() {
      cancelAnimationFrame(frame);
      frame = 0;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return log;
}

/** Renders `children` again whenever the log changes; nothing above it renders. */
export function RunLogView({ log, children }: { log: RunLog; children: () => ComponentChildren }) {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const drawn = log.version;
  useLayoutEffect(() => {
    const unsubscribe = log.subscribe(() => rerender(undefined));
    // A change told between this render and the subscription.
    if (log.version !== drawn) rerender(undefined);
    return unsubscribe;
  }, [log]);
  return children();
}
