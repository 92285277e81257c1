// A worker's isolate, reused across runs (a fresh context each run, so no learner state
// survives) and replaced after `recycleAfterRuns` runs, after any run that hit a limit, or once
// its heap has grown past half its limit. The sandbox bundle is compiled once per isolate.
import ivm from "isolated-vm";
import { API_GLOBAL } from "../../sandbox/protocol.ts";
import { SANDBOX_FILENAME } from "./sandbox-bundle.ts";

const HEAP_CHECK_EVERY = 8;

export interface IsolateSlotOptions {
  bundle: string;
  recycleAfterRuns: number;
}

export interface Lease {
  isolate: ivm.Isolate;
  bootstrap: ivm.Script;
  /** Deletes the API global once the facade modules have read it. */
  cleanup: ivm.Script;
}

export function createIsolateSlot(options: IsolateSlotOptions) {
  let current: (Lease & { memoryMb: number; runs: number }) | null = null;
  let cachedData: ivm.ExternalCopy<ArrayBuffer> | undefined;

  function retire(): void {
    if (current && !current.isolate.isDisposed) current.isolate.dispose();
    current = null;
  }

  function acquire(memoryMb: number): Lease {
    if (current && (current.isolate.isDisposed || current.memoryMb !== memoryMb)) retire();
    if (!current) {
      const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
      // V8's code cache makes compiling the bundle in each new isolate nearly free.
      const bootstrap = isolate.compileScriptSync(options.bundle, {
        filename: SANDBOX_FILENAME,
        ...(cachedData ? { cachedData } : { produceCachedData: true }),
      });
      const produced = (bootstrap as ivm.Script & ivm.CachedDataResult).cachedData;
      if (!cachedData && produced) cachedData = produced;
      const cleanup = isolate.compileScriptSync(
        `delete globalThis[${JSON.stringify(API_GLOBAL)}];`,
        { filename: SANDBOX_FILENAME },
      );
      current = { isolate, bootstrap, cleanup, memoryMb, runs: 0 };
    }
    current.runs++;
    return current;
  }

  /** After a run: keep the isolate only if the run was clean and the heap is still small. */
  function release(clean: boolean): void {
    if (!current) return;
    if (!clean || current.isolate.isDisposed || current.runs >= options.recycleAfterRuns) {
      retire();
      return;
    }
    // Heap statistics cost about as much as a small run's bootstrap: sample every few runs.
    if (current.runs % HEAP_CHECK_EVERY !== 0) return;
    const heap = current.isolate.getHeapStatisticsSync();
    const used = heap.used_heap_size + heap.externally_allocated_size;
    if (used > (current.memoryMb * 1024 * 1024) / 2) retire();
  }

  return { acquire, release, retire };
}

export type IsolateSlot = ReturnType<typeof createIsolateSlot>;
