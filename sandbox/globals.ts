// The isolate's global object, made fit for learner code before any of it runs.
import { callHost } from "./host.ts";
import {
  ArrayBufferCtor,
  DateCtor,
  ObjectDefineProperty,
  StringCtor,
  TypeErrorCtor,
} from "./primordials.ts";
import { Op } from "./protocol.ts";

const ReflectConstruct = Reflect.construct;

/**
 * Removed from the global object:
 * - SharedArrayBuffer and Atomics: a shared counter is a high-resolution timer (the basis of
 *   Spectre-style timing attacks), and Atomics.wait blocks the isolate's thread outside any
 *   callback we control.
 * - WebAssembly: compiles and runs machine code in memory that the isolate's heap limit does
 *   not count, and compiles on background threads beyond the CPU watchdog's view. The lessons
 *   need none of it.
 * - FinalizationRegistry and WeakRef: the garbage collector runs a registry's callbacks whenever
 *   it likes, after the run that registered them has reported its result (a looping callback
 *   then spun on the worker and ran into the next learner's run), and WeakRef.deref() shows
 *   when it collected. Atomics.waitAsync, the other way to schedule work outside the run, goes
 *   with Atomics. Nothing left in the context can run code once the program and its microtasks
 *   are done: a bare V8 context has no `performance`, `setTimeout` or `process` to begin with.
 */
const REMOVED = ["SharedArrayBuffer", "Atomics", "WebAssembly", "FinalizationRegistry", "WeakRef"];

export function hardenGlobals(global: Record<string, unknown>, epochMs: number): void {
  for (let i = 0; i < REMOVED.length; i++) delete global[REMOVED[i]!];
  installFixedArrayBuffer(global);
  installVirtualDate(global, epochMs);
}

/**
 * ArrayBuffer without the `maxByteLength` option. V8 reserves a resizable buffer's pages
 * itself, past the array buffer allocator that enforces the isolate's memory limit: with it,
 * `new ArrayBuffer(2 ** 31, { maxByteLength: 2 ** 31 })` committed 2 GB in the worker under a
 * 64 MB limit. The original constructor stays reachable only through this wrapper (the
 * prototype's `constructor` is replaced too); V8's own allocations (typed arrays) are fixed-size.
 */
function installFixedArrayBuffer(global: Record<string, unknown>): void {
  const Original = ArrayBufferCtor;
  // Named by its property key, so V8's messages say "ArrayBuffer" (the bundler would rename a
  // function declared with that name, which shadows the global).
  const named = {
    ArrayBuffer: function (length?: unknown, options?: unknown): unknown {
      if (new.target === undefined) {
        throw new TypeErrorCtor("Constructor ArrayBuffer requires 'new'");
      }
      if (typeof options === "object" && options !== null) {
        // Read once: a getter runs once, in the learner's own code.
        if ((options as { maxByteLength?: unknown }).maxByteLength !== undefined) {
          throw new TypeErrorCtor("resizable ArrayBuffers (maxByteLength) are not available here");
        }
      }
      return ReflectConstruct(Original, [length], new.target);
    },
  };
  const ArrayBuffer = named.ArrayBuffer;
  ObjectDefineProperty(ArrayBuffer, "prototype", { value: Original.prototype });
  ObjectDefineProperty(ArrayBuffer, "isView", {
    value: Original.isView,
    writable: true,
    configurable: true,
  });
  ObjectDefineProperty(Original.prototype, "constructor", {
    value: ArrayBuffer,
    writable: true,
    configurable: true,
  });
  ObjectDefineProperty(global, "ArrayBuffer", {
    value: ArrayBuffer,
    writable: true,
    configurable: true,
  });
}

/**
 * Date reads the simulation's virtual clock: `Date.now()` is `epochMs` plus virtual time, so a
 * run is reproducible and the clock agrees with recvFrom timeouts (nothing waits for real).
 */
function installVirtualDate(global: Record<string, unknown>, epochMs: number): void {
  const nowMs = (): number => epochMs + (callHost(VirtualDate, Op.now) as number) / 1000;
  function VirtualDate(this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return StringCtor(ReflectConstruct(DateCtor, [nowMs()]));
    return ReflectConstruct(DateCtor, args.length === 0 ? [nowMs()] : args, new.target);
  }
  ObjectDefineProperty(VirtualDate, "prototype", { value: DateCtor.prototype });
  ObjectDefineProperty(VirtualDate, "now", {
    value: function now() {
      return Math.floor(nowMs());
    },
    writable: true,
    configurable: true,
  });
  ObjectDefineProperty(VirtualDate, "parse", {
    value: DateCtor.parse,
    writable: true,
    configurable: true,
  });
  ObjectDefineProperty(VirtualDate, "UTC", {
    value: DateCtor.UTC,
    writable: true,
    configurable: true,
  });
  ObjectDefineProperty(DateCtor.prototype, "constructor", {
    value: VirtualDate,
    writable: true,
    configurable: true,
  });
  ObjectDefineProperty(global, "Date", { value: VirtualDate, writable: true, configurable: true });
}
