// The end-of-program module: imported by the wrapped learner module (wrap-program.ts) under a
// specifier secret to the worker process, and evaluated with it, before its first line. It tells
// the host whether the program reached its last line, how many watched promises are pending, and
// whether it threw; what it threw stays inside the isolate until `finish()`, called by the host
// under the run's limits, reads it there (getters, Proxy traps, toString: all the learner's code,
// all bounded) and hands over plain strings.
//
// Each of the two calls into the isolate that run learner code (the learner's evaluation, whose
// first statement is begin(), then finish()) first rejects a promise of its own with a marker
// string: when a call into the isolate ends, isolated-vm copies the first unhandled rejection
// out, reading `message`, `stack` and `name` with no timer running; the marker, being first, is
// what it copies, so it never reads anything the learner rejected (see evaluate.ts).

import { API_GLOBAL } from "../../sandbox/protocol.ts";

/**
 * Set on the context's global before the evaluation: the host callback `report("state", ended,
 * pending, failed)`, `report("error", name, message, stack)`, `report("value", text)`,
 * `report("waiting", line)`. The module takes it and deletes it before any learner code runs.
 */
export const END_GLOBAL = "__packetlabEnd";

export const MAX_NAME_CHARS = 200;
export const MAX_MESSAGE_CHARS = 10_000;
export const MAX_STACK_CHARS = 100_000;

/** What finish() describes: what the program threw (strings only). */
export type Failure =
  { kind: "error"; name: string; message: string; stack: string } | { kind: "value"; text: string };

export function endModuleSource(marker: string): string {
  const global = JSON.stringify(END_GLOBAL);
  return `
const report = globalThis[${global}];
delete globalThis[${global}];
// The facade modules were evaluated before this one (the wrapped program imports them first):
// the API they read goes before the program's first line, whether it imported any or not.
delete globalThis[${JSON.stringify(API_GLOBAL)}];
const PromiseCtor = Promise;
const PromiseReject = Promise.reject;
const PromiseThen = Promise.prototype.then;
const ReflectApply = Reflect.apply;
const ObjectCreate = Object.create;
const ErrorCtor = Error;
const StringCtor = String;
const StringSlice = String.prototype.slice;
const JSONStringify = JSON.stringify;
const MARKER = ${JSON.stringify(marker)};
let ended = false;
let pending = 0;
// Where the program may be waiting: the line of the top-level await it reached last, and the
// line of each watched call whose promise is pending (by watch order; no prototype to poison).
let lastAwaitLine = 0;
const watchedLines = ObjectCreate(null);
let watchedCount = 0;
let failed = false;
let thrown;
// The host learns each change at once (a callback, cheap on the fast path), so it calls into
// the isolate again only to read a failure.
function tell() {
  report("state", ended, pending, failed);
}
export function begin() {
  ReflectApply(PromiseReject, PromiseCtor, [MARKER]);
}
export function fail(value) {
  if (!failed) {
    failed = true;
    thrown = value;
    tell();
  }
}
function settled() {
  pending--;
  if (ended) tell();
}
function rejected(value) {
  pending--;
  fail(value);
  if (ended) tell();
}
export function mark(line, value) {
  lastAwaitLine = line;
  return value;
}
export function watch(value, line) {
  if (value !== null && typeof value === "object") {
    const id = watchedCount;
    try {
      ReflectApply(PromiseThen, value, [
        () => {
          delete watchedLines[id];
          settled();
        },
        (reason) => {
          delete watchedLines[id];
          rejected(reason);
        },
      ]);
      watchedLines[id] = line;
      watchedCount++;
      pending++;
    } catch {}
  }
  return value;
}
/** Reports the line the program waits at, for a program that did not end (0: unknown). */
export function waiting() {
  ReflectApply(PromiseReject, PromiseCtor, [MARKER]);
  let line = lastAwaitLine;
  if (ended) {
    line = 0;
    for (let id = 0; id < watchedCount && line === 0; id++) {
      if (watchedLines[id] !== undefined) line = watchedLines[id];
    }
  }
  report("waiting", line);
}
export function end() {
  ended = true;
  tell();
}
function text(value, max) {
  try {
    const string = typeof value === "string" ? value : StringCtor(value);
    return string.length > max ? ReflectApply(StringSlice, string, [0, max]) : string;
  } catch {
    return undefined;
  }
}
function read(object, key, max) {
  try {
    const value = object[key];
    return value === undefined ? undefined : text(value, max);
  } catch {
    return undefined;
  }
}
export function finish() {
  ReflectApply(PromiseReject, PromiseCtor, [MARKER]);
  if (!failed) return;
  const value = thrown;
  thrown = undefined;
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    let isError = false;
    try {
      isError = value instanceof ErrorCtor;
    } catch {}
    const message = read(value, "message", ${MAX_MESSAGE_CHARS});
    const stack = read(value, "stack", ${MAX_STACK_CHARS});
    if (isError || message !== undefined || stack !== undefined) {
      const name = read(value, "name", ${MAX_NAME_CHARS});
      return report("error", name || "Error", message ?? "", stack ?? "");
    }
    return report("value", "an object");
  }
  if (typeof value === "string") {
    return report("value", JSONStringify(ReflectApply(StringSlice, value, [0, 200])));
  }
  return report("value", text(value, 200) ?? "a value");
}
`;
}
