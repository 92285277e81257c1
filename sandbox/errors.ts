// The learner's error classes, named after Rust's std::io::Error / std::net::AddrParseError.
import type { AnyFunction } from "./primordials.ts";
import { ErrorCaptureStackTrace, ObjectDefineProperty, ObjectFreeze } from "./primordials.ts";

/** Rust's std::io::ErrorKind names (net.d.ts) plus NotFound, which "fs" uses. */
export type ErrorKind =
  | "AddrInUse"
  | "AddrNotAvailable"
  | "InvalidInput"
  | "TimedOut"
  | "WouldBlock"
  | "NotConnected"
  | "ConnectionRefused"
  | "ConnectionReset"
  | "BrokenPipe"
  | "InvalidData"
  | "NotFound";

/** Starts the stack at the learner's call into the API rather than inside the sandbox. */
function trimStack(error: Error, caller: AnyFunction | undefined): void {
  if (caller && ErrorCaptureStackTrace) ErrorCaptureStackTrace(error, caller);
}

export class IoError extends Error {
  declare readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, caller?: AnyFunction) {
    super(message);
    ObjectDefineProperty(this, "kind", { value: kind, enumerable: true });
    ObjectDefineProperty(this, "name", { value: "IoError", configurable: true, writable: true });
    trimStack(this, caller);
  }
}

export class AddrParseError extends Error {
  constructor(message: string, caller?: AnyFunction) {
    super(message);
    ObjectDefineProperty(this, "name", {
      value: "AddrParseError",
      configurable: true,
      writable: true,
    });
    trimStack(this, caller);
  }
}

export function freezeClass(ctor: object & { prototype: object }): void {
  ObjectFreeze(ctor.prototype);
  ObjectFreeze(ctor);
}
