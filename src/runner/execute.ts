// One run inside a worker: compile, bootstrap a fresh context, evaluate the learner's module
// under the limits, let the network settle, and assemble the RunResult. Limits are enforced in
// depth here: the evaluation `timeout`, a CPU watchdog polling isolate.cpuTime, and a wall
// deadline that disposes the isolate (which also ends host callbacks' loops and promise floods).
// The parent process adds the last layer: it kills a worker that stops answering.
import ivm from "isolated-vm";
import type { Network, NetworkLimits, NetworkOptions } from "../netsim/types.ts";
import { HOST_GLOBAL, SETTINGS_GLOBAL, type SandboxSettings } from "../../sandbox/protocol.ts";
import { createBridge, type StopReason } from "./bridge.ts";
import type { IsolateSlot } from "./isolate-slot.ts";
import { compileErrorFrom, runtimeErrorFrom, type SourceInfo } from "./learner-errors.ts";
import { prepareSource } from "./learner-source.ts";
import { messages } from "./messages.ts";
import type { ProtocolKit } from "./protocol-kit.ts";
import { facadeSource } from "./sandbox-bundle.ts";
import type { LearnerError, Outcome, RunEvent, RunLimits, RunRequest, RunResult } from "./types.ts";

export interface ExecuteDeps {
  createNetwork(options: NetworkOptions): Network;
  protocols: ProtocolKit | null;
  slot: IsolateSlot;
}

export interface RunControl {
  /** Set by the executor while the run is live; the worker calls it to cancel. */
  cancel?: () => void;
}

/** Virtual time 0 is this instant for the learner's Date (2024-01-01T00:00:00Z). */
const EPOCH_MS = Date.UTC(2024, 0, 1);
const CPU_POLL_MS = 10;
const MODULES = new Set(["net", "fs"]);

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
  const network = deps.createNetwork({
    topology: request.topology,
    seed: request.seed,
    limits: networkLimits(limits),
    ...(emit ? { onPacket: (packet) => emit({ type: "packet", packet }) } : {}),
  });
  let stopReason: StopReason | null = null;
  let lease: ReturnType<IsolateSlot["acquire"]> | null = null;
  const stopNow = (reason: StopReason) => {
    stopReason ??= reason;
    if (lease && !lease.isolate.isDisposed) lease.isolate.dispose();
  };
  control.cancel = () => stopNow({ kind: "cancelled" });
  const bridge = createBridge({
    network,
    files: request.files ?? {},
    protocols: () => deps.protocols,
    outputBytes: limits.outputBytes,
    onOutput: (line) => emit?.({ type: "output", line }),
    stop: stopNow,
  });

  let cpuNs = 0n;
  let outcome: Outcome = "ok";
  let error: LearnerError | undefined;
  let message = messages.ok();
  const timers: { cpu?: NodeJS.Timeout; wall?: NodeJS.Timeout } = {};
  const context: Handles = { modules: [] };
  let clean = false;

  try {
    const prepared = await prepareSource(request.code, request.language);
    if (!prepared.ok) {
      error = prepared.error;
      outcome = "compile-error";
      clean = true;
    } else {
      lease = deps.slot.acquire(limits.memoryMb);
      const { isolate } = lease;
      const cpuStart = isolate.cpuTime;
      const readCpu = () => {
        if (!isolate.isDisposed) cpuNs = isolate.cpuTime - cpuStart;
        return cpuNs;
      };
      const cpuBudgetNs = BigInt(limits.cpuMs) * 1_000_000n;
      timers.cpu = setInterval(() => {
        if (readCpu() > cpuBudgetNs) stopNow({ kind: "cpu-limit" });
      }, CPU_POLL_MS);
      const wallLeft = Math.max(1, limits.wallMs - (performance.now() - started));
      timers.wall = setTimeout(() => stopNow({ kind: "wall-limit" }), wallLeft);

      const result = await evaluate(isolate, lease, prepared.source, bridge.call, limits, context);
      readCpu();
      if (stopReason === null) {
        if (result.kind === "compile-error") {
          outcome = "compile-error";
          error = result.error;
          clean = true;
        } else if (result.kind === "thrown") {
          ({ outcome, error } = classifyThrown(result.thrown, isolate, prepared.source));
          clean = outcome === "runtime-error";
        } else {
          clean = true;
        }
      }
    }
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
    if (lease && !lease.isolate.isDisposed) {
      // Modules keep their context alive: without releasing them, every run's context would
      // stay in the heap until the isolate ran out of memory.
      for (const module of context.modules) module.release();
      context.value?.release();
    }
    if (lease) deps.slot.release(clean && stopReason === null);
  }

  if (stopReason) ({ outcome, message } = stopOutcome(stopReason, limits));
  else if (outcome === "compile-error" && error) message = messages.compileError(error);
  else if (outcome === "runtime-error" && error) message = messages.runtimeError(error);
  else if (outcome === "time-limit") message = messages.wallLimit(limits);
  else if (outcome === "memory-limit") message = messages.memoryLimit(limits);

  if (stopReason?.kind === "internal") {
    console.error("packetlab runner: internal error during a run", stopReason.error);
  }

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

interface Handles {
  value?: ivm.Context;
  modules: ivm.Module[];
}

type Evaluation =
  | { kind: "done" }
  | { kind: "compile-error"; error: LearnerError }
  | { kind: "thrown"; thrown: unknown };

async function evaluate(
  isolate: ivm.Isolate,
  lease: { bootstrap: ivm.Script; cleanup: ivm.Script },
  source: SourceInfo & { code: string },
  hostCall: (...args: never[]) => unknown,
  limits: RunLimits,
  context: Handles,
): Promise<Evaluation> {
  // Setup is our own bounded code: the synchronous calls skip a thread hop each (measured about
  // 1 ms a run in total). Only the learner's evaluation runs asynchronously, so that the CPU
  // watchdog and the wall deadline can act while it runs.
  const ctx = isolate.createContextSync();
  context.value = ctx;
  const settings: SandboxSettings = { maxOutputChars: limits.outputBytes + 1, epochMs: EPOCH_MS };
  ctx.global.setSync(HOST_GLOBAL, new ivm.Callback(hostCall));
  ctx.global.setSync(SETTINGS_GLOBAL, new ivm.ExternalCopy(settings).copyInto());
  lease.bootstrap.runSync(ctx, { timeout: limits.wallMs });
  const facades = new Map<string, ivm.Module>();
  for (const name of MODULES) {
    const facade = isolate.compileModuleSync(facadeSource(name as "net" | "fs"), {
      filename: `packetlab:${name}`,
    });
    context.modules.push(facade);
    facade.instantiateSync(ctx, () => {
      throw new Error("facades import nothing");
    });
    facade.evaluateSync({ timeout: limits.wallMs });
    facades.set(name, facade);
  }
  lease.cleanup.runSync(ctx);

  let module: ivm.Module;
  try {
    module = isolate.compileModuleSync(source.code, { filename: source.filename });
    context.modules.push(module);
  } catch (thrown) {
    return { kind: "compile-error", error: compileErrorFrom(thrown, source) };
  }
  for (const specifier of module.dependencySpecifiers) {
    if (!MODULES.has(specifier)) {
      return { kind: "compile-error", error: unknownModule(specifier, source.code) };
    }
  }
  module.instantiateSync(ctx, (specifier) => facades.get(specifier)!);
  try {
    await module.evaluate({ timeout: limits.wallMs });
    return { kind: "done" };
  } catch (thrown) {
    return { kind: "thrown", thrown };
  }
}

function unknownModule(specifier: string, code: string): LearnerError {
  const lines = code.split("\n");
  const index = lines.findIndex(
    (line) => line.includes(JSON.stringify(specifier)) || line.includes(`'${specifier}'`),
  );
  return {
    name: "SyntaxError",
    message: `there is no module "${specifier}" here: import from "net" or "fs"`,
    ...(index >= 0 ? { line: index + 1, column: 1 } : {}),
  };
}

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
