// One learner-readable message per outcome: what happened, and where to look.
import type { LearnerError, RunLimits } from "./types.ts";

export const messages = {
  ok: () => "Your program finished.",
  compileError: (error: LearnerError) =>
    `Your program could not be compiled: ${error.message}${where(error)}.`,
  runtimeError: (error: LearnerError) =>
    `Your program stopped with an uncaught ${error.name}${where(error)}: ${error.message}`,
  cpuLimit: (limits: RunLimits) =>
    `Your program used more than ${limits.cpuMs} ms of CPU time and was stopped. Look for a loop that never ends.`,
  wallLimit: (limits: RunLimits) =>
    `Your program ran for more than ${limits.wallMs} ms and was stopped. Look for a loop that never ends, or a chain of promises that never settles.`,
  waitedForever: (local: string) =>
    `recvFrom() waited forever: no datagram is on its way to ${local}, and none ever will be. Check the address and port you sent to, or call setReadTimeout() so recvFrom() gives up.`,
  neverSettles: (line?: number) =>
    `Your program waits for something that never happens${line === undefined ? "" : ` (line ${line})`}: it stopped at an await (or a then) on a promise that nothing will ever resolve, so the lines after it never ran. Check that every promise you wait for is resolved or rejected.`,
  cancelled: () => "The run was cancelled before it finished.",
  memoryLimit: (limits: RunLimits) =>
    `Your program used more than ${limits.memoryMb} MB of memory and was stopped. Look for a collection that grows without end.`,
  outputLimit: (limits: RunLimits) =>
    `Your program printed more than ${limits.outputBytes} bytes; the output is cut there and the program was stopped. Print less, or only what you need.`,
  networkLimit: (detail: string) => `The network stopped your program: ${detail}`,
  internalError: () =>
    "Something went wrong on our side while running your program (not in your code). Please try again.",
};

function where(error: LearnerError): string {
  if (error.line === undefined) return "";
  return error.column === undefined
    ? ` on line ${error.line}`
    : ` on line ${error.line}, column ${error.column}`;
}
