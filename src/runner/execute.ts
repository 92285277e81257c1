// One run inside a worker: compile, bootstrap a fresh context, evaluate the learner's module
// under the limits, let the network settle, and assemble the RunResult. Limits are enforced in
// depth here: the evaluation `timeout`, a CPU watchdog polling isolate.cpuTime, and a wall
// deadline that disposes the isolate (which also ends host callbacks' loops and promise floods).
// The parent process adds the last layer: it kills a worker that stops answering.
//
// Most programs finish in well under a millisecond, so each run first tries a synchronous
// evaluation (no thread hop per host call) under isolated-vm's timer alone, capped at
// FAST_PATH_MS. A program that needs longer is abandoned and started again from scratch,
// asynchronously, under every watchdog; see README.md.
import type ivm from "isolated-vm";
import type { Network, NetworkLimits, NetworkOptions } from "../netsim/types.ts";
import { createBridge, type StopReason } from "./bridge.ts";
import type { Failure } from "./end-module.ts";
import { evaluate, isTimeout, releaseHandles, type Handles } from "./evaluate.ts";
import { evaluateWasm, type WasmEvaluation } from "./evaluate-wasm.ts";
import type { IsolateSlot } from "./isolate-slot.ts";
import { boundedError, runtimeErrorFrom, type SourceInfo } from "./learner-errors.ts";
import { prepareSource, type PrepareResult } from "./learner-source.ts";
import { messages } from "./messages.ts";
import type { ProtocolKit } from "./protocol-kit.ts";
import { exitedOutcome, trappedOutcome } from "./rust-errors.ts";
import type { LearnerError, Outcome, RunEvent, RunLimits, RunRequest, RunResult } from "./types.ts";

export interface ExecuteDeps {
  createNetwork(options: NetworkOptions): Network;
  protocols: ProtocolKit | null;
  slot: IsolateSlot;
  /** Cap of the synchronous first attempt (default FAST_PATH_MS); 0 runs every program async. */
  fastPathMs?: number;
}

export interface RunControl {
  /** Set by the executor while the run is live; the worker calls it to cancel. */
  cancel?: () => void;
}

const CPU_POLL_MS = 10;
/**
 * The longest a synchronous attempt may run. While it runs, the worker's event loop is blocked
 * (no watchdog, no cancel message), so it is kept short; a program past it costs at most this
 * much more CPU, counted against its own CPU limit.
 */
export const FAST_PATH_MS = 50;

function networkLimits(limits: RunLimits): NetworkLimits {
  return {
    maxPackets: limits.maxPackets,
    maxBytes: limits.maxBytes,
    maxSockets: limits.maxSockets,
    maxVirtualTimeUs: limits.maxVirtualTimeUs,
    ...(limits.maxSocketQueue !== undefined ? { maxSocketQueue: limits.maxSocketQueue } : {}),
    ...(limits.maxReassemblyBytes !== undefined
      ? { maxReassemblyBytes: limits.maxReassemblyBytes }
      : {}),
  };
}

export async function executeRun(
  request: RunRequest,
  limits: RunLimits,
  deps: ExecuteDeps,
  emit: ((event: RunEvent) => void) | null,
  control: RunControl = {},
): Promise<RunResult> {
  const started = performance.now();
  let stopReason: StopReason | null = null;
  let lease: ReturnType<IsolateSlot["acquire"]> | null = null;
  const stopNow = (reason: StopReason) => {
    stopReason ??= reason;
    if (lease && !lease.isolate.isDisposed) lease.isolate.dispose();
  };
  control.cancel = () => stopNow({ kind: "cancelled" });

  /**
   * A network and a bridge for one attempt at the program. The fast attempt holds its events
   * back: if it is abandoned for the asynchronous one, nobody may have seen them.
   */
  function startAttempt(hold: boolean) {
    const held: RunEvent[] = [];
    let holding = hold;
    const send = emit && ((event: RunEvent) => (holding ? held.push(event) : emit(event)));
    const network = deps.createNetwork({
      topology: request.topology,
      seed: request.seed,
      limits: networkLimits(limits),
      ...(send ? { onPacket: (packet) => send({ type: "packet", packet }) } : {}),
    });
    const bridge = createBridge({
      network,
      files: request.files ?? {},
      protocols: () => deps.protocols,
      outputBytes: limits.outputBytes,
      onOutput: (line) => send?.({ type: "output", line }),
      stop: stopNow,
    });
    const keep = () => {
      holding = false;
      for (const event of held.splice(0)) emit?.(event);
    };
    return { network, bridge, keep };
  }
  let attempt = startAttempt(true);

  let cpuNs = 0n;
  let outcome: Outcome = "ok";
  let error: LearnerError | undefined;
  let message = messages.ok();
  const timers: { cpu?: NodeJS.Timeout; wall?: NodeJS.Timeout } = {};
  const handles: Handles = { modules: [] };
  let clean = false;

  try {
    const prepared = await prepare(request);
    // Rust runs its compiled module (evaluate-wasm.ts); the same attempts, limits and watchdogs.
    const wasm = request.language === "rust" ? request.wasm : undefined;
    const run = (
      ...[l, source, call, lim, mode, h]: Parameters<typeof evaluate>
    ): Promise<WasmEvaluation> =>
      wasm
        ? evaluateWasm(l, wasm, request.seed, call, lim, mode, h)
        : evaluate(l, source, call, lim, mode, h);
    if (!prepared.ok) {
      error = prepared.error;
      outcome = "compile-error";
      clean = true;
    } else {
      lease = deps.slot.acquire(limits.memoryMb);
      let isolate = lease.isolate;
      // Counted from before the fast attempt: an abandoned attempt's CPU time counts too (it is
      // carried over in cpuBefore when the attempt's isolate is replaced).
      let cpuStart = isolate.cpuTime;
      let cpuBefore = 0n;
      const readCpu = () => {
        if (!isolate.isDisposed) cpuNs = cpuBefore + isolate.cpuTime - cpuStart;
        return cpuNs;
      };
      const wallLeft = () => Math.max(1, limits.wallMs - (performance.now() - started));

      // The fast path: synchronous, under isolated-vm's own timer only, which never allows more
      // than the CPU limit (wall time ≥ CPU time on this thread) or the wall time left.
      const fastCap = deps.fastPathMs ?? FAST_PATH_MS;
      let result: WasmEvaluation | null = null;
      if (fastCap > 0) {
        const timeoutMs = Math.max(1, Math.floor(Math.min(fastCap, limits.cpuMs, wallLeft())));
        const fast = { sync: true, timeoutMs };
        result = await run(lease, prepared.source, attempt.bridge.call, limits, fast, handles);
        if (stopReason === null && !isolate.isDisposed && timedOut(result)) {
          // Too long for the fast path: start again from scratch (a fresh context and network;
          // nobody has seen the abandoned attempt's events), asynchronously, in a fresh isolate.
          // The timed-out isolate is not clean: the attempt's pending microtasks and a pending
          // exception survive the timeout, and its next call (even createContext) would run or
          // rethrow them; e.g. `Promise.resolve().then(() => { for (;;) {} }); throw e` made
          // the restart throw e from our own setup, an internal-error.
          readCpu();
          cpuBefore = cpuNs;
          releaseHandles(isolate, handles);
          deps.slot.retire();
          lease = deps.slot.acquire(limits.memoryMb);
          isolate = lease.isolate;
          cpuStart = isolate.cpuTime;
          attempt = startAttempt(false);
          result = null;
        }
      }
      attempt.keep();
      if (result === null) {
        // Asynchronous: the CPU watchdog and the wall deadline can act while it runs.
        const cpuBudgetNs = BigInt(limits.cpuMs) * 1_000_000n;
        timers.cpu = setInterval(() => {
          if (readCpu() > cpuBudgetNs) stopNow({ kind: "cpu-limit" });
        }, CPU_POLL_MS);
        timers.wall = setTimeout(() => stopNow({ kind: "wall-limit" }), wallLeft());
        const slow = { sync: false, timeoutMs: limits.wallMs };
        result = await run(lease, prepared.source, attempt.bridge.call, limits, slow, handles);
      }
      readCpu();
      if (stopReason === null) {
        if (result.kind === "compile-error") {
          outcome = "compile-error";
          error = result.error;
          clean = true;
        } else if (result.kind === "exited") {
          ({ outcome, error } = exitedOutcome(result.code, attempt.bridge.output));
          clean = outcome === "ok" || outcome === "runtime-error";
        } else if (result.kind === "thrown" && wasm) {
          ({ outcome, error } = classifyThrown(result.thrown, isolate, prepared.source));
          if (outcome === "runtime-error") {
            ({ outcome, error } = trappedOutcome(result.thrown, attempt.bridge.output));
          }
          clean = outcome === "runtime-error";
        } else if (result.kind === "thrown") {
          ({ outcome, error } = classifyThrown(result.thrown, isolate, prepared.source));
          clean = outcome === "runtime-error";
        } else if (result.failure) {
          ({ outcome, error } = classifyFailure(result.failure, result.source));
          clean = true;
        } else if (!result.ended) {
          // Nothing is left that could ever continue it: no timers, no I/O, every host call
          // answered. A program that can never finish would have run out of time.
          stopReason = {
            kind: "never-settles",
            ...(result.waitingLine !== undefined ? { line: result.waitingLine } : {}),
          };
          clean = true;
        } else {
          clean = true;
        }
      }
    }
    attempt.keep();
    const { network } = attempt;
    // After the program's end, datagrams still in flight are delivered and the peers answer.
    if (stopReason === null && network.limitReached === null) {
      try {
        network.settle();
      } catch (thrown) {
        if (!network.limitReached) throw thrown;
      }
    }
    if (stopReason === null && network.limitReached) {
      stopReason = { kind: "network-limit", report: network.limitReached };
    }
  } catch (thrown) {
    stopReason ??= { kind: "internal", error: thrown };
  } finally {
    clearInterval(timers.cpu);
    clearTimeout(timers.wall);
    control.cancel = undefined;
    // Modules keep their context alive: without releasing them, every run's context would
    // stay in the heap until the isolate ran out of memory.
    if (lease) releaseHandles(lease.isolate, handles);
    if (lease) deps.slot.release(clean && stopReason === null);
  }

  // A thrown message can be as long as the heap allows: it goes into the result, the stored
  // submission and the learner's screen, so it is cut to a readable size here.
  if (error) error = boundedError(error);
  if (stopReason) ({ outcome, message } = stopOutcome(stopReason, limits));
  else if (outcome === "compile-error" && error) message = messages.compileError(error);
  else if (outcome === "runtime-error" && error) message = messages.runtimeError(error);
  else if (outcome === "time-limit") message = messages.wallLimit(limits);
  else if (outcome === "memory-limit") message = messages.memoryLimit(limits);

  if (stopReason?.kind === "internal") {
    console.error("packetlab runner: internal error during a run", stopReason.error);
  }

  const { network, bridge } = attempt;
  return {
    outcome,
    message,
    ...(error ? { error } : {}),
    output: bridge.output,
    outputTruncated: bridge.outputTruncated,
    packets: [...network.events],
    peers: safePeers(network),
    learner: { host: network.learner.name, address: network.learner.address },
    virtualTimeUs: network.nowUs,
    cpuMs: Number(cpuNs) / 1e6,
    wallMs: performance.now() - started,
    limits,
  };
}

/** JavaScript and TypeScript as the isolate compiles them; Rust comes compiled (request.wasm). */
async function prepare(request: RunRequest): Promise<PrepareResult> {
  if (request.language !== "rust") return prepareSource(request.code, request.language);
  if (!request.wasm) {
    return {
      ok: false,
      error: { name: "CompileError", message: "Rust programs are not compiled on this server." },
    };
  }
  return { ok: true, source: { code: request.code, filename: "main.rs", map: null } };
}

function timedOut(result: WasmEvaluation): boolean {
  return result.kind === "thrown" && isTimeout(result.thrown);
}

const ERROR_CLASSES: Record<string, ErrorConstructor> = {
  RangeError,
  TypeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

/** What the program threw, as the isolate reported it (strings, read there under the limits). */
function classifyFailure(
  failure: Failure,
  source: SourceInfo,
): { outcome: Outcome; error?: LearnerError } {
  if (failure.kind === "value") {
    return {
      outcome: "runtime-error",
      error: { name: "Uncaught", message: `a non-Error value was thrown: ${failure.text}` },
    };
  }
  // Large ArrayBuffers live outside the heap; past the limit V8 refuses them with this RangeError.
  if (failure.name === "RangeError" && /Array buffer allocation failed/.test(failure.message)) {
    return { outcome: "memory-limit" };
  }
  const thrown = new (ERROR_CLASSES[failure.name] ?? Error)(failure.message);
  Object.defineProperty(thrown, "name", { value: failure.name });
  Object.defineProperty(thrown, "stack", { value: failure.stack });
  return { outcome: "runtime-error", error: runtimeErrorFrom(thrown, source) };
}

/** An error of isolated-vm's own: the timeout, the memory limit, a disposed isolate. */
function classifyThrown(
  thrown: unknown,
  isolate: ivm.Isolate,
  source: SourceInfo,
): { outcome: Outcome; error?: LearnerError } {
  const text = thrown instanceof Error ? thrown.message : "";
  if (/memory limit/i.test(text) || (isolate.isDisposed && /disposed/i.test(text))) {
    return { outcome: "memory-limit" };
  }
  if (/Script execution timed out/.test(text)) return { outcome: "time-limit" };
  // Large ArrayBuffers live outside the heap; past the limit V8 refuses them with this RangeError.
  if (thrown instanceof RangeError && /Array buffer allocation failed/.test(text)) {
    return { outcome: "memory-limit" };
  }
  return { outcome: "runtime-error", error: runtimeErrorFrom(thrown, source) };
}

function stopOutcome(reason: StopReason, limits: RunLimits): { outcome: Outcome; message: string } {
  switch (reason.kind) {
    case "output-limit":
      return { outcome: "output-limit", message: messages.outputLimit(limits) };
    case "network-limit":
      return { outcome: "network-limit", message: messages.networkLimit(reason.report.message) };
    case "waited-forever":
      return { outcome: "time-limit", message: messages.waitedForever(reason.local) };
    case "never-settles":
      return { outcome: "time-limit", message: messages.neverSettles(reason.line) };
    case "cpu-limit":
      return { outcome: "time-limit", message: messages.cpuLimit(limits) };
    case "wall-limit":
      return { outcome: "time-limit", message: messages.wallLimit(limits) };
    case "cancelled":
      return { outcome: "time-limit", message: messages.cancelled() };
    case "internal":
      return { outcome: "internal-error", message: messages.internalError() };
  }
}

function safePeers(network: Network): Record<string, unknown> {
  try {
    return network.peerStates();
  } catch {
    return {};
  }
}
