// One attempt at a compiled Rust program: a fresh context and the bootstrap as for JavaScript,
// then the module, run by the WASI shim inside the isolate (sandbox/wasi.ts). The module is
// checked again here (the runner trusts no caller with its memory): one memory, capped, and
// only the imports the shim serves.
import ivm from "isolated-vm";
import {
  API_GLOBAL,
  HOST_GLOBAL,
  SETTINGS_GLOBAL,
  type SandboxSettings,
} from "../../sandbox/protocol.ts";
import { ALLOWED_IMPORTS } from "../compile/imports.ts";
import { checkModule } from "../compile/wasm-module.ts";
import type { EvaluateMode, Evaluation, Handles } from "./evaluate.ts";
import type { Lease } from "./isolate-slot.ts";
import type { RunLimits } from "./types.ts";

const EPOCH_MS = Date.UTC(2024, 0, 1);
/** Largest linear memory a module may declare (its own cap, set when linking, must be ≤ this). */
export const MAX_WASM_MEMORY_BYTES = 256 * 1024 * 1024;

export type WasmEvaluation = Evaluation | { kind: "exited"; code: number };

const RUN = `const api = globalThis[${JSON.stringify(API_GLOBAL)}];
delete globalThis[${JSON.stringify(API_GLOBAL)}];
return api.wasm($0, $1);`;

export async function evaluateWasm(
  lease: Lease,
  wasm: Uint8Array,
  seed: number,
  hostCall: (...args: never[]) => unknown,
  limits: RunLimits,
  mode: EvaluateMode,
  context: Handles,
): Promise<WasmEvaluation> {
  const verdict = checkModule(wasm, {
    allowedImports: ALLOWED_IMPORTS,
    maxMemoryBytes: MAX_WASM_MEMORY_BYTES,
  });
  if (!verdict.ok) {
    return {
      kind: "compile-error",
      error: { name: "CompileError", message: `This program cannot run here: ${verdict.reason}.` },
    };
  }
  const { isolate } = lease;
  const ctx = isolate.createContextSync();
  context.value = ctx;
  const settings: SandboxSettings = { maxOutputChars: limits.outputBytes + 1, epochMs: EPOCH_MS };
  ctx.global.setSync(HOST_GLOBAL, new ivm.Callback(hostCall));
  ctx.global.setSync(SETTINGS_GLOBAL, new ivm.ExternalCopy(settings).copyInto());
  lease.bootstrap.runSync(ctx, { timeout: limits.wallMs });
  const wire = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
  const args = [wire, { epochMs: EPOCH_MS, seed }];
  const options = {
    arguments: { copy: true },
    result: { copy: true },
    timeout: mode.timeoutMs,
  } as const;
  try {
    const code = mode.sync
      ? ctx.evalClosureSync(RUN, args, options)
      : await ctx.evalClosure(RUN, args, options);
    return { kind: "exited", code: typeof code === "number" ? code : 1 };
  } catch (thrown) {
    return { kind: "thrown", thrown };
  }
}
