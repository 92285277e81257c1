// One error type for everything the network refuses: a caller's mistake or a limit. The runner's
// bridge maps `code` to the learner's io::ErrorKind, so codes are stable and messages are for
// people.
import type { NetworkErrorCode } from "./types.ts";

export class NetworkError extends Error {
  readonly code: NetworkErrorCode;

  constructor(code: NetworkErrorCode, message: string) {
    super(message);
    this.name = "NetworkError";
    this.code = code;
  }
}

/** Thrown by createNetwork when the topology does not hold together; `problems` lists each. */
export class TopologyError extends Error {
  readonly code = "INVALID_TOPOLOGY";
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`the network topology is invalid: ${problems.join("; ")}`);
    this.name = "TopologyError";
    this.problems = problems;
  }
}
