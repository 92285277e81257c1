// The isolate's global object, made fit for learner code before any of it runs.
import { callHost } from "./host.ts";
import { DateCtor, ObjectDefineProperty, StringCtor } from "./primordials.ts";
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
 * There is no `performance`, `setTimeout` or `process` in a bare V8 context to begin with.
 */
const REMOVED = ["SharedArrayBuffer", "Atomics", "WebAssembly"];

export function hardenGlobals(global: Record<string, unknown>, epochMs: number): void {
  for (let i = 0; i < REMOVED.length; i++) delete global[REMOVED[i]!];
  installVirtualDate(global, epochMs);
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
