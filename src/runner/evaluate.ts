// One attempt at a learner's program inside the isolate: a fresh context, the bootstrap, the
// "net" and "fs" facades, then the learner's module, evaluated synchronously (the fast path) or
// asynchronously (so the CPU watchdog and the wall deadline can act while it runs).
import ivm from "isolated-vm";
import { HOST_GLOBAL, SETTINGS_GLOBAL, type SandboxSettings } from "../../sandbox/protocol.ts";
import type { Lease } from "./isolate-slot.ts";
import { compileErrorFrom, linkErrorFrom, type SourceInfo } from "./learner-errors.ts";
import { facadeSource } from "./sandbox-bundle.ts";
import type { LearnerError, RunLimits } from "./types.ts";

/** Virtual time 0 is this instant for the learner's Date (2024-01-01T00:00:00Z). */
const EPOCH_MS = Date.UTC(2024, 0, 1);
const MODULES = new Set(["net", "fs"]);

/** What an attempt created in the isolate; released after it, since a module keeps its context alive. */
export interface Handles {
  value?: ivm.Context;
  modules: ivm.Module[];
}

export type Evaluation =
  | { kind: "done" }
  | { kind: "compile-error"; error: LearnerError }
  | { kind: "thrown"; thrown: unknown };

export interface EvaluateMode {
  /** Synchronous: no thread hop per host call, but no watchdog can act until it returns. */
  sync: boolean;
  /** isolated-vm's own timer for the evaluation (it covers the microtasks drained at its end). */
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
  let module: ivm.Module;
  try {
    module = isolate.compileModuleSync(source.code, { filename: source.filename });
    context.modules.push(module);
  } catch (thrown) {
    return { kind: "compile-error", error: compileErrorFrom(thrown, source) };
  }
  // Only the facades the program imports (most import "net" alone): each is a module compiled,
  // linked and evaluated in this context.
  const facades = new Map<string, ivm.Module>();
  for (const specifier of module.dependencySpecifiers) {
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
    // A name the facades do not export (`import { TcpStream } from "net"`, a default import):
    // V8 finds it only when linking. The learner's mistake, not an internal error.
    if (!(thrown instanceof SyntaxError)) throw thrown;
    return { kind: "compile-error", error: linkErrorFrom(thrown, source.code, source) };
  }
  try {
    if (mode.sync) module.evaluateSync({ timeout: mode.timeoutMs });
    else await module.evaluate({ timeout: mode.timeoutMs });
    return { kind: "done" };
  } catch (thrown) {
    return { kind: "thrown", thrown };
  }
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
