// A worker's isolate, reused across runs (a fresh context each run, so no learner state
// survives) and replaced after `recycleAfterRuns` runs, after any run that hit a limit, or once
// its heap has grown past half its limit. The sandbox bundle is compiled once per isolate.
//
// Between runs the isolate must be idle: nothing a run created may execute after its result
// is reported. The sandbox leaves nothing that could (no timers, no FinalizationRegistry, no
// WeakRef, no Atomics.waitAsync) and each run drains its microtasks; as a last line, the isolate's
// CPU time is read when a run releases it and again before the next run (and while idle): an
// isolate that used CPU with no run in it is disposed, ending whatever it was running.
import ivm from "isolated-vm";
import { SANDBOX_FILENAME } from "./sandbox-bundle.ts";

const HEAP_CHECK_EVERY = 8;

export interface IsolateSlotOptions {
  bundle: string;
  recycleAfterRuns: number;
}

export interface Lease {
  isolate: ivm.Isolate;
  bootstrap: ivm.Script;
}

/** Past this, an idle isolate ran real code (a GC pass of a small heap takes far less). */
const IDLE_NOISE_NS = 5_000_000n;

export function reportIdleUse(usedNs: bigint): void {
  if (usedNs > IDLE_NOISE_NS) {
    console.error(
      `packetlab runner: an idle isolate used ${usedNs / 1_000_000n} ms of CPU after its run; replaced it`,
    );
  }
}

export function createIsolateSlot(options: IsolateSlotOptions) {
  let current: (Lease & { memoryMb: number; runs: number; idleCpu: bigint | null }) | null = null;
  let cachedData: ivm.ExternalCopy<ArrayBuffer> | undefined;

  function retire(): void {
    if (current && !current.isolate.isDisposed) current.isolate.dispose();
    current = null;
  }

  /**
   * Whether the idle isolate ran anything since its last run released it; if it did, it is
   * disposed (which also stops what it runs). V8's own housekeeping (an idle-time GC) moves the
   * clock too, now and then, by well under a millisecond: replacing the isolate then costs one
   * isolate's creation, and is safe, so any movement counts. Returns the CPU time it used (ns),
   * 0n when it stayed idle.
   */
  function retireIfBusyWhileIdle(): bigint {
    if (!current || current.idleCpu === null || current.isolate.isDisposed) return 0n;
    const used = current.isolate.cpuTime - current.idleCpu;
    if (used === 0n) return 0n;
    retire();
    return used;
  }

  function acquire(memoryMb: number): Lease {
    reportIdleUse(retireIfBusyWhileIdle());
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
      current = { isolate, bootstrap, memoryMb, runs: 0, idleCpu: null };
    }
    current.runs++;
    current.idleCpu = null;
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
    if (current.runs % HEAP_CHECK_EVERY === 0) {
      const heap = current.isolate.getHeapStatisticsSync();
      const used = heap.used_heap_size + heap.externally_allocated_size;
      if (used > (current.memoryMb * 1024 * 1024) / 2) {
        retire();
        return;
      }
    }
    current.idleCpu = current.isolate.cpuTime;
  }

  return { acquire, release, retire, retireIfBusyWhileIdle };
}

export type IsolateSlot = ReturnType<typeof createIsolateSlot>;
