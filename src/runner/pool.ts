// createRunner: a supervised pool of worker processes, one run at a time per worker, with a
// bounded queue that serves learners in turn (fair-queue.ts). Workers own isolated-vm; this process never loads it. A worker that dies
// mid-run (V8 aborts the whole process on some out-of-memory patterns) is replaced and its run
// reported as "memory-limit"; a worker that stops answering is killed and replaced.
//
// No worker outlives this process. Each worker leads its own process group (what it starts dies
// with it) and holds a lifeline, a pipe on its stdin from this process: when the pipe closes
// (this process exited, crashed or was SIGKILLed) a thread in the worker kills the group, even
// while the worker's main thread is stuck. On exit this process kills every group it started,
// and close() kills the workers that do not leave in time.
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { createFairQueue } from "./fair-queue.ts";
import { clampLimits, DEFAULT_LIMITS } from "./limits.ts";
import { messages } from "./messages.ts";
import { decodePackets } from "./packet-wire.ts";
import { resultWithoutRun } from "./results.ts";
import type { RunLimits, RunOptions, RunRequest, RunResult, Runner } from "./types.ts";
import type { ParentMessage, WorkerMessage, WorkerSettings } from "./worker-protocol.ts";

export interface RunnerConfig {
  /** Worker processes; default os.availableParallelism(). */
  workers?: number;
  /** Runs that may wait for a worker; past it run() rejects with RunnerBusyError. Default 2000. */
  maxQueue?: number;
  /** Bytes of code and files the waiting runs may hold in all. Default 64 MiB. */
  maxQueueBytes?: number;
  /** Runs one learner (RunOptions.queueKey) may have waiting. Default 4. */
  maxQueuedPerLearner?: number;
  /** The configured limits (defaults: limits.ts); a request may only lower them. */
  limits?: Partial<RunLimits>;
  /** A worker's isolate is replaced after this many runs. Default 100. */
  recycleAfterRuns?: number;
  /** How long past a run's wall limit a silent worker gets before it is killed. Default 2000 ms. */
  killGraceMs?: number;
  /** Module exporting createNetwork (default src/netsim); tests pass a fake's path. */
  networkModule?: string;
  /**
   * Cap in ms of each run's synchronous first attempt (default 50, see execute.ts); 0 makes
   * every run asynchronous from the start.
   */
  fastPathMs?: number;
}

/** run() when the queue is full: the caller should answer "busy, try again". */
export class RunnerBusyError extends Error {
  readonly code = "RUNNER_BUSY";
  constructor(queued: number, ownWaiting = false) {
    super(
      ownWaiting
        ? `${queued} of your runs are already waiting for a sandbox; wait for them to finish`
        : `all runners are busy and ${queued} runs are already waiting; try again shortly`,
    );
    this.name = "RunnerBusyError";
  }
}

/** Workers of every runner in this process, killed when the process exits. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) killGroup(child);
  });
}

// Defined by scripts/build.mjs in dist/: the worker and the network are bundled beside this
// code and start without tsx. (import.meta.url stays this source file's URL in the bundle.)
declare const PACKETLAB_BUILD: string | undefined;
const BUILT = typeof PACKETLAB_BUILD !== "undefined";
const WORKER_ENTRY = fileURLToPath(
  new URL(BUILT ? "../../dist/worker.js" : "./worker.ts", import.meta.url),
);
// --single-threaded-gc: V8 collects garbage on the thread that allocated it instead of handing
// the work to background threads. A worker runs one short program at a time, so there is
// little for them to overlap with, and the pool runs one worker per core: CPU per run is what
// bounds its throughput (bench/worker-run.ts: ~0.5 → ~0.25 ms per run on other threads, 2.54 →
// 2.43 ms in all). Not --single-threaded: that also moves JIT compilation onto the main thread,
// which cost less still on short runs (2.35 → 2.18 ms) but made a hot loop in a learner's
// program take about twice the CPU.
export const WORKER_NODE_FLAGS = ["--no-node-snapshot", "--single-threaded-gc"];
const WORKER_FLAGS = BUILT ? WORKER_NODE_FLAGS : [...WORKER_NODE_FLAGS, "--import", "tsx"];
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DEFAULT_NETWORK_MODULE = new URL(
  BUILT ? "../../dist/netsim.js" : "../netsim/index.ts",
  import.meta.url,
).href;

interface Job {
  id: number;
  request: RunRequest;
  limits: RunLimits;
  options: RunOptions;
  resolve: (result: RunResult) => void;
  queuedAt: number;
  /** The queue position last told to options.onQueued. */
  toldPosition?: number;
  startedAt?: number;
  /** Why the parent ended the worker, if it did: decides the reported outcome. */
  killedFor?: "time-limit" | "cancelled";
  cleanup: (() => void)[];
}

interface Worker {
  child: ChildProcess;
  ready: boolean;
  job: Job | null;
  rssBytes: number;
}

/** What a waiting run holds on to, roughly: its code (UTF-16) and its files. */
function sizeOf(request: RunRequest): number {
  let bytes = request.code.length * 2 + 1024;
  for (const file of Object.values(request.files ?? {})) bytes += file.byteLength;
  return bytes;
}

export function createRunner(config: RunnerConfig = {}) {
  const size = Math.max(1, config.workers ?? availableParallelism());
  const killGraceMs = config.killGraceMs ?? 2_000;
  const configured = clampLimits({ ...DEFAULT_LIMITS, ...config.limits });
  const settings: WorkerSettings = {
    networkModule: config.networkModule ?? DEFAULT_NETWORK_MODULE,
    recycleAfterRuns: config.recycleAfterRuns ?? 100,
    ...(config.fastPathMs !== undefined ? { fastPathMs: config.fastPathMs } : {}),
  };
  const workers = new Set<Worker>();
  const maxQueuedPerLearner = config.maxQueuedPerLearner ?? 4;
  const queue = createFairQueue<Job>({
    maxItems: config.maxQueue ?? 2_000,
    maxBytes: config.maxQueueBytes ?? 64 * 2 ** 20,
    maxPerKey: maxQueuedPerLearner,
  });
  // Waiting runs hear their new queue position at most this often (one message each, not one
  // per run started ahead of them).
  let positionTimer: NodeJS.Timeout | null = null;
  let nextId = 1;
  let restarts = 0;
  let failedStarts = 0;
  let closed = false;

  function spawn(): void {
    killAllOnExit();
    const child = fork(WORKER_ENTRY, [JSON.stringify(settings)], {
      cwd: REPO_ROOT,
      execArgv: WORKER_FLAGS,
      serialization: "advanced",
      // stdin is the lifeline (never written; see above). V8 prints heap statistics to stdout
      // when an isolate runs out of memory: not for our logs.
      stdio: ["pipe", "ignore", "inherit", "ipc"],
      // Its own process group, so that killing the group also ends what the worker started.
      detached: true,
    });
    // The lifeline must not keep this process alive, nor fail it when the worker is gone.
    child.stdin?.on("error", () => {});
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    live.add(child);
    const worker: Worker = { child, ready: false, job: null, rssBytes: 0 };
    workers.add(worker);
    child.on("message", (message: WorkerMessage) => onMessage(worker, message));
    child.on("error", () => killGroup(child));
    child.on("exit", () => {
      live.delete(child);
      // Whatever the worker started goes with it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // the group is already empty
        }
      }
      onExit(worker);
    });
  }

  function onMessage(worker: Worker, message: WorkerMessage): void {
    if (message.type === "ready") {
      worker.ready = true;
      failedStarts = 0;
      pump();
      return;
    }
    const job = worker.job;
    if (!job || message.id !== job.id) return;
    if (message.type === "event") {
      try {
        job.options.onEvent?.(message.event);
      } catch {
        // a listener's failure is the listener's: the run goes on
      }
      return;
    }
    worker.rssBytes = message.rssBytes;
    worker.job = null;
    finish(job, { ...message.result, packets: decodePackets(message.packets) });
    pump();
  }

  function onExit(worker: Worker): void {
    workers.delete(worker);
    const job = worker.job;
    if (job) {
      const wallMs = performance.now() - (job.startedAt ?? job.queuedAt);
      const [outcome, message] =
        job.killedFor === "time-limit"
          ? (["time-limit", messages.wallLimit(job.limits)] as const)
          : job.killedFor === "cancelled"
            ? (["time-limit", messages.cancelled()] as const)
            : (["memory-limit", messages.memoryLimit(job.limits)] as const);
      finish(job, resultWithoutRun(outcome, message, job.limits, job.request.topology, wallMs));
    }
    if (closed) return;
    restarts++;
    if (!worker.ready) failedStarts++;
    // A worker that cannot even start (a broken install) must not spin the CPU: back off.
    const delay = Math.min(failedStarts * 500, 5_000);
    if (failedStarts >= 3) {
      for (const waiting of queue.drain()) {
        finish(
          waiting,
          resultWithoutRun(
            "internal-error",
            messages.internalError(),
            waiting.limits,
            waiting.request.topology,
          ),
        );
      }
    }
    setTimeout(() => {
      if (!closed) spawn();
    }, delay).unref();
  }

  function finish(job: Job, result: RunResult): void {
    for (const cleanup of job.cleanup.splice(0)) cleanup();
    job.resolve(result);
  }

  /** A send to a worker that just died is answered by its exit handler, not by a throw here. */
  function post(worker: Worker, message: ParentMessage): void {
    if (worker.child.connected)
      worker.child.send(message, (error) => error && kill(worker, "time-limit"));
  }

  function kill(worker: Worker, reason: "time-limit" | "cancelled"): void {
    if (worker.job) worker.job.killedFor ??= reason;
    killGroup(worker.child);
  }

  function pump(): void {
    for (const worker of workers) {
      if (queue.size === 0) return;
      if (!worker.ready || worker.job || !worker.child.connected) continue;
      const job = queue.shift()!;
      start(worker, job);
    }
  }

  function start(worker: Worker, job: Job): void {
    worker.job = job;
    job.startedAt = performance.now();
    try {
      job.options.onStarted?.();
    } catch {
      // a listener's failure is the listener's
    }
    const message: ParentMessage = {
      type: "run",
      id: job.id,
      request: job.request,
      limits: job.limits,
      stream: job.options.onEvent !== undefined,
    };
    post(worker, message);
    // The last line of defence: the worker's own deadlines failed to answer in time.
    const hardKill = setTimeout(() => kill(worker, "time-limit"), job.limits.wallMs + killGraceMs);
    job.cleanup.push(() => clearTimeout(hardKill));
    const signal = job.options.signal;
    if (signal) {
      const onAbort = () => {
        post(worker, { type: "cancel", id: job.id });
        const cancelKill = setTimeout(() => kill(worker, "cancelled"), killGraceMs);
        job.cleanup.push(() => clearTimeout(cancelKill));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      job.cleanup.push(() => signal.removeEventListener("abort", onAbort));
    }
  }

  function run(request: RunRequest, options: RunOptions = {}): Promise<RunResult> {
    if (closed) return Promise.reject(new Error("the runner is closed"));
    const limits = clampLimits(configured, request.limits);
    if (options.signal?.aborted) {
      return Promise.resolve(
        resultWithoutRun("time-limit", messages.cancelled(), limits, request.topology),
      );
    }
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: nextId++,
        request,
        limits,
        options,
        resolve,
        queuedAt: performance.now(),
        cleanup: [],
      };
      const signal = options.signal;
      if (signal) {
        // Cancelled while still waiting: leave the queue, no worker involved.
        const onAbort = () => {
          if (!queue.remove(job)) return;
          finish(
            job,
            resultWithoutRun("time-limit", messages.cancelled(), limits, request.topology),
          );
        };
        signal.addEventListener("abort", onAbort, { once: true });
        job.cleanup.push(() => signal.removeEventListener("abort", onAbort));
      }
      const refused = queue.push(options.queueKey ?? `run-${job.id}`, job, sizeOf(request));
      if (refused) {
        for (const cleanup of job.cleanup.splice(0)) cleanup();
        reject(
          refused === "key-full"
            ? new RunnerBusyError(maxQueuedPerLearner, true)
            : new RunnerBusyError(queue.size),
        );
        return;
      }
      pump();
      if (options.onQueued && queue.positionOf(job) > 0) {
        tellPosition(job, queue.positionOf(job));
        positionTimer ??= setInterval(tellPositions, 1_000).unref();
      }
    });
  }

  function tellPosition(job: Job, position: number): void {
    if (position === job.toldPosition) return;
    job.toldPosition = position;
    try {
      job.options.onQueued?.(position);
    } catch {
      // a listener's failure is the listener's
    }
  }

  function tellPositions(): void {
    if (queue.size === 0) {
      clearInterval(positionTimer!);
      positionTimer = null;
      return;
    }
    for (const [job, position] of queue.positions()) {
      if (job.options.onQueued) tellPosition(job, position);
    }
  }

  function stats() {
    let busy = 0;
    for (const worker of workers) if (worker.job) busy++;
    return { workers: workers.size, busy, queued: queue.size, restarts };
  }

  /**
   * Resident memory of each worker, as it sent with its last result (it reads it at most every
   * 0.5 s; 0 before its first).
   */
  function workerRss(): number[] {
    return [...workers].map((worker) => worker.rssBytes);
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    if (positionTimer) clearInterval(positionTimer);
    for (const job of queue.drain()) {
      finish(
        job,
        resultWithoutRun(
          "internal-error",
          messages.internalError(),
          job.limits,
          job.request.topology,
        ),
      );
    }
    // Runs in progress finish (each is bounded by its wall limit and the hard kill).
    const exits = [...workers].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.child.exitCode !== null || worker.child.signalCode !== null) resolve();
          else worker.child.once("exit", () => resolve());
        }),
    );
    await new Promise<void>((resolve) => {
      const check = () => {
        if ([...workers].every((worker) => !worker.job)) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
    for (const worker of workers) {
      if (worker.child.connected) worker.child.disconnect();
      worker.child.stdin?.destroy();
    }
    // A worker stuck in a synchronous call cannot act on the disconnect: it is killed.
    const late = setTimeout(() => {
      for (const worker of workers) killGroup(worker.child);
    }, killGraceMs);
    await Promise.all(exits);
    clearTimeout(late);
  }

  for (let i = 0; i < size; i++) spawn();
  return { run, stats, close, workerRss } satisfies Runner & { workerRss(): number[] };
}

export type ProcessPoolRunner = ReturnType<typeof createRunner>;
