// The one door to the host. The bootstrap hands `bindHost` the host callback and then deletes
// the global it came through, so learner code can reach the host only through the API below.
import type { AnyFunction } from "./primordials.ts";
import type { HostReply, OpCode } from "./protocol.ts";
import { Reply } from "./protocol.ts";
import { ArrayIsArray, TypeErrorCtor } from "./primordials.ts";
import { IoError } from "./errors.ts";

type HostFunction = (op: OpCode, a?: unknown, b?: unknown, c?: unknown, d?: unknown) => unknown;

let host: HostFunction | null = null;

export function bindHost(fn: HostFunction): void {
  if (host) throw new TypeErrorCtor("sandbox bootstrap: host bound twice");
  host = fn;
}

/**
 * Calls the host and unwraps its reply: the value, or an IoError thrown at `caller` (so the
 * learner's stack starts in their own code). A STOP reply means the run is over and the host is
 * disposing this isolate; spinning here guarantees no learner code runs in the meantime (it cannot
 * be caught, unlike an exception).
 */
export function callHost(
  caller: AnyFunction,
  op: OpCode,
  a?: unknown,
  b?: unknown,
  c?: unknown,
  d?: unknown,
): unknown {
  const fn = host;
  if (!fn) throw new TypeErrorCtor("sandbox bootstrap: host not bound");
  const reply = fn(op, a, b, c, d) as HostReply;
  if (!ArrayIsArray(reply)) haltForever();
  const status = reply[0];
  if (status === Reply.ok) return reply[1];
  if (status === Reply.fail) throw new IoError(reply[1] as never, reply[2] as string, caller);
  return haltForever();
}

export function haltForever(): never {
  for (;;) {
    // The host disposes the isolate; this loop is where it finds us.
  }
}
