// One attempt at a learner's program inside the isolate: a fresh context, the bootstrap, the
// "net" and "fs" facades, then the learner's module, evaluated synchronously (the fast path) or
// asynchronously (so the CPU watchdog and the wall deadline can act while it runs).
//
// Nothing the learner throws crosses out of the isolate unread. isolated-vm copies a thrown
// value (or the first unhandled rejection) when a call into the isolate ends, once its timeout
// has stopped, by reading `message`, `stack` and `name`: getters and Proxy traps the learner
// wrote, run with no timer at all (on the fast path this thread is blocked in the call; a looping
// getter hung the worker until the pool killed it, and dispose() does not stop a second one).
// So the learner's module is wrapped (wrap-program.ts): its top level runs in a try/catch that
// hands what it throws to the end-of-program module (end-module.ts), and a call statement's
// promise (`main();`) is watched by that module until it settles or rejects; the end module's
// own marker rejection comes first, so it is what isolated-vm copies. After the evaluation,
// finish() reads what was kept inside the isolate, under the run's limits, and reports strings.
// A rejection that nothing handles deeper in the program (not a top-level call's promise, not
// awaited at the top level) is never read: the program is judged by how its top level ended.
//
// The wrapped module calls the end module's end() after its last line: an evaluation that
// returns without it, or with a watched promise still pending, is a program left waiting for
// something nothing will ever settle (no timers or I/O callbacks exist in the sandbox).
import { randomBytes } from "node:crypto";
import ivm from "isolated-vm";
import { HOST_GLOBAL, SETTINGS_GLOBAL, type SandboxSettings } from "../../sandbox/protocol.ts";
import { END_GLOBAL, endModuleSource, type Failure } from "./end-module.ts";
import type { Lease } from "./isolate-slot.ts";
import { compileErrorFrom, linkErrorFrom, type SourceInfo } from "./learner-errors.ts";
import { facadeSource } from "./sandbox-bundle.ts";
import type { LearnerError, RunLimits } from "./types.ts";
import { createTextCache } from "./text-cache.ts";
import { wrapProgram, type WrappedProgram } from "./wrap-program.ts";

/**
 * Names in the wrapped program, secret to this process: the learner's code cannot read the text
 * it is wrapped in, so it can neither import the end module nor clash with these names.
 */
const NONCE = randomBytes(9).toString("hex");
const MARKER = `packetlab:end-of-call-${NONCE}`;
const BINDINGS = {
  specifier: `packetlab:end-${NONCE}`,
  begin: `__packetlabBegin_${NONCE}`,
  mark: `__packetlabMark_${NONCE}`,
  fail: `__packetlabFail_${NONCE}`,
  watch: `__packetlabWatch_${NONCE}`,
  end: `__packetlabEnd_${NONCE}`,
};
const END_MODULE = endModuleSource(MARKER);

/**
 * Parsing costs tens of microseconds a KB (~0.4 ms for a 20-line program on a busy machine); the
 * same program is often run many times (Run, then Submit; a class resubmitting its versions).
 * About 4 MB of programs and their wrapped text in each worker (text-cache.ts).
 */
const WRAP_CACHE_CHARS = 2_000_000;
const wrapCache = createTextCache<WrappedProgram | null>(WRAP_CACHE_CHARS, (wrapped) =>
  wrapped ? wrapped.code.length : 0,
);
const wrapOne = (code: string) => wrapProgram(code, BINDINGS);

function wrapCached(code: string): WrappedProgram | null {
  return wrapCache.get(code, wrapOne);
}

/** Virtual time 0 is this instant for the learner's Date (2024-01-01T00:00:00Z). */
const EPOCH_MS = Date.UTC(2024, 0, 1);
const MODULES = new Set(["net", "fs"]);

/** What an attempt created in the isolate; released after it, since a module keeps its context alive. */
export interface Handles {
  value?: ivm.Context;
  modules: ivm.Module[];
}

export type Evaluation =
  /**
   * The program's evaluation returned. `ended`: it reached its last line (and every top-level
   * await before it). `failure`: what it threw, or what a top-level call's promise rejected with.
   * `source`: positions in its stack are in this source's terms.
   */
  | {
      kind: "done";
      ended: boolean;
      /** For a program that did not end: the line it waits at, when known. */
      waitingLine?: number;
      failure?: Failure;
      source: SourceInfo;
    }
  | { kind: "compile-error"; error: LearnerError }
  /** isolated-vm's own errors only: timeout, memory limit, disposed. */
  | { kind: "thrown"; thrown: unknown };

export interface EvaluateMode {
  /** Synchronous: no thread hop per host call, but no watchdog can act until it returns. */
  sync: boolean;
  /** isolated-vm's own timer for each call into the isolate (it covers the microtasks drained at its end). */
  timeoutMs: number;
}

export async function evaluate(
  lease: Lease,
  source: SourceInfo & { code: string },
  hostCall: (...args: never[]) => unknown,
  limits: RunLimits,
  mode: EvaluateMode,
  context: Handles,
): Promise<Evaluation> {
  const { isolate } = lease;
  // Setup is our own bounded code: the synchronous calls skip a thread hop each (measured about
  // 1 ms a run in total).
  const ctx = isolate.createContextSync();
  context.value = ctx;
  const settings: SandboxSettings = { maxOutputChars: limits.outputBytes + 1, epochMs: EPOCH_MS };
  ctx.global.setSync(HOST_GLOBAL, new ivm.Callback(hostCall));
  ctx.global.setSync(SETTINGS_GLOBAL, new ivm.ExternalCopy(settings).copyInto());
  lease.bootstrap.runSync(ctx, { timeout: limits.wallMs });

  const wrapped = wrapCached(source.code);
  const wrappedSource: SourceInfo = {
    filename: source.filename,
    map: (position) => {
      const unwrapped = wrapped ? wrapped.shiftBack(position) : position;
      return source.map ? source.map(unwrapped) : unwrapped;
    },
  };
  let module: ivm.Module;
  try {
    if (!wrapped) throw new Error("not parsed");
    module = isolate.compileModuleSync(wrapped.code, { filename: source.filename });
    context.modules.push(module);
  } catch {
    // The learner's own error, as V8 reports it for their text alone.
    try {
      isolate.compileModuleSync(source.code, { filename: source.filename }).release();
    } catch (thrown) {
      return { kind: "compile-error", error: compileErrorFrom(thrown, source) };
    }
    throw new Error("the wrapped program does not compile, though the program does");
  }

  const state = { ended: false, pending: 0, failed: false };
  let failure: Failure | undefined;
  let waitingAt = 0;
  ctx.global.setSync(
    END_GLOBAL,
    new ivm.Callback((kind: string, a?: unknown, b?: unknown, c?: unknown) => {
      if (kind === "state") {
        state.ended = a === true;
        state.pending = typeof b === "number" ? b : 0;
        state.failed = c === true;
      } else if (kind === "error") {
        failure = { kind, name: String(a), message: String(b), stack: String(c) };
      } else if (kind === "value") {
        failure = { kind, text: String(a) };
      } else if (kind === "waiting") {
        waitingAt = typeof a === "number" ? a : 0;
      }
    }),
  );
  // Evaluated with the learner's module (one call into the isolate fewer); evaluated on its own
  // afterwards only when its namespace is needed, to read a failure.
  const endModule = isolate.compileModuleSync(END_MODULE, { filename: "packetlab:end" });
  context.modules.push(endModule);
  endModule.instantiateSync(ctx, () => {
    throw new Error("the end module imports nothing");
  });
  // Only the facades the program imports (most import "net" alone): each is a module compiled,
  // linked and evaluated in this context.
  const facades = new Map<string, ivm.Module>([[BINDINGS.specifier, endModule]]);
  for (const specifier of module.dependencySpecifiers) {
    if (specifier === BINDINGS.specifier) continue;
    if (!MODULES.has(specifier)) {
      return { kind: "compile-error", error: unknownModule(specifier, source.code) };
    }
    if (facades.has(specifier)) continue;
    const facade = isolate.compileModuleSync(facadeSource(specifier as "net" | "fs"), {
      filename: `packetlab:${specifier}`,
    });
    context.modules.push(facade);
    facade.instantiateSync(ctx, () => {
      throw new Error("facades import nothing");
    });
    facade.evaluateSync({ timeout: limits.wallMs });
    facades.set(specifier, facade);
  }
  // The API global goes before any learner code runs, imported or not.
  lease.cleanup.runSync(ctx);
  try {
    module.instantiateSync(ctx, (specifier) => facades.get(specifier)!);
  } catch (thrown) {
    // A name the facades do not export (`import { QuicStream } from "net"`, a default import):
    // V8 finds it only when linking. The learner's mistake, not an internal error.
    if (!(thrown instanceof SyntaxError)) throw thrown;
    return { kind: "compile-error", error: linkErrorFrom(thrown, source.code, source) };
  }
  const timeout = { timeout: mode.timeoutMs };
  try {
    if (mode.sync) module.evaluateSync(timeout);
    else await module.evaluate(timeout);
  } catch (thrown) {
    if (thrown !== MARKER) return { kind: "thrown", thrown };
  }
  // A top-level call's promise still pending now never settles: nothing is left to settle it.
  const ended = state.ended && state.pending === 0;
  if (!state.failed && ended) return { kind: "done", ended, source: wrappedSource };
  // Rare paths from here: the end module's namespace is needed (it becomes available once the
  // module has been evaluated through its own handle; it already was, with the program).
  endModule.evaluateSync({ timeout: limits.wallMs });
  if (!state.failed) {
    const waiting = endModule.namespace.getSync("waiting", { reference: true }) as ivm.Reference;
    try {
      waiting.applySync(undefined, [], timeout);
    } catch (thrown) {
      if (thrown !== MARKER) return { kind: "thrown", thrown };
    } finally {
      waiting.release();
    }
    const line = waitingAt as number;
    const at = line > 0 ? wrappedSource.map!({ line, column: 1 }) : null;
    return { kind: "done", ended, ...(at ? { waitingLine: at.line } : {}), source: wrappedSource };
  }
  const finish = endModule.namespace.getSync("finish", { reference: true }) as ivm.Reference;
  try {
    if (mode.sync) finish.applySync(undefined, [], timeout);
    else await finish.apply(undefined, [], timeout);
  } catch (thrown) {
    if (thrown !== MARKER) return { kind: "thrown", thrown };
  } finally {
    finish.release();
  }
  const described = failure as Failure | undefined;
  if (!described) throw new Error("the end module did not describe the failure");
  return { kind: "done", ended, failure: described, source: wrappedSource };
}

/** Releases what an attempt left in a live isolate. */
export function releaseHandles(isolate: ivm.Isolate, context: Handles): void {
  if (isolate.isDisposed) return;
  for (const module of context.modules.splice(0)) module.release();
  context.value?.release();
  delete context.value;
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

export function isTimeout(thrown: unknown): boolean {
  return thrown instanceof Error && /Script execution timed out/.test(thrown.message);
}
