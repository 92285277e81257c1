// The contract of a run: what the service asks for and what comes back. Grading reads
// RunResult only (it never re-runs code); the service streams RunEvent as it happens.
import type { NetworkLimits, PacketEvent, TopologySpec, VirtualMicros } from "../netsim/types.ts";

/** A small, closed set: each has a message a learner can act on. */
export type Outcome =
  | "ok"
  | "compile-error"
  | "runtime-error"
  | "time-limit"
  | "memory-limit"
  | "output-limit"
  | "network-limit"
  | "internal-error";

export type Language = "javascript" | "typescript" | "rust";

export interface RunLimits extends NetworkLimits {
  /** CPU time the learner's code may use. */
  cpuMs: number;
  /** Wall-clock time for the whole run, including time blocked in the network and in promises. */
  wallMs: number;
  /** Heap of the isolate. */
  memoryMb: number;
  /** Bytes of console output kept; past it the run ends with "output-limit". */
  outputBytes: number;
}

export interface RunRequest {
  code: string;
  language: Language;
  topology: TopologySpec;
  seed: number;
  /** Files the program may read with `readFile` from the "fs" module (lesson 2's photo). */
  files?: Record<string, Uint8Array>;
  /** May only lower the configured limits; higher values are clamped. */
  limits?: Partial<RunLimits>;
  /**
   * Language "rust": the program compiled to wasm32-wasi (src/compile). A runner built with a
   * compiler (withCompiler) sets it from `code`.
   */
  wasm?: Uint8Array;
}

export interface OutputLine {
  stream: "stdout" | "stderr";
  text: string;
  /** Virtual time when it was printed. */
  atUs: VirtualMicros;
}

/** A learner's error, positioned in the learner's own code (never host paths). */
export interface LearnerError {
  name: string;
  message: string;
  line?: number;
  column?: number;
  stack?: string;
}

export interface RunResult {
  outcome: Outcome;
  /** One or two sentences for the learner: what happened and what to look at. */
  message: string;
  error?: LearnerError;
  output: OutputLine[];
  outputTruncated: boolean;
  packets: PacketEvent[];
  /** What the peers observed, for the checks (Alice's inbox, the name server's queries). */
  peers: Record<string, unknown>;
  learner: { host: string; address: string };
  virtualTimeUs: VirtualMicros;
  cpuMs: number;
  wallMs: number;
  limits: RunLimits;
}

export type RunEvent =
  { type: "output"; line: OutputLine } | { type: "packet"; packet: PacketEvent };

export interface RunOptions {
  onEvent?: (event: RunEvent) => void;
  /** Called before a compiled language is compiled (the stream's `compiling`)… */
  onCompiling?: () => void;
  /** …and once it is, whatever the compiler said (the stream's `run-started`). */
  onCompiled?: () => void;
  signal?: AbortSignal;
  /** Whose turn the run waits in (the learner): the queue serves each key in turn. */
  queueKey?: string;
  /** The run's place in the queue (1 = next), when it has to wait and when that changes. */
  onQueued?: (position: number) => void;
  /** A sandbox took the run: it left the queue (an asynchronous submission is now running). */
  onStarted?: () => void;
}

export interface Runner {
  run(request: RunRequest, options?: RunOptions): Promise<RunResult>;
  /** Workers alive and busy, for /readyz and /metrics. */
  stats(): { workers: number; busy: number; queued: number; restarts: number };
  close(): Promise<void>;
}
