// The load generator of bench/http.ts, in its own process: autocannon sharing the server's event
// loop would bill its own parsing and timers to the server and cap what the server can show.
// Receives one LoadSpec over IPC, answers with a LoadResult, and exits.
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds of load; or `amount` requests in all. */
  duration?: number;
  amount?: number;
  /** Requests per second across all connections (autocannon's overallRate); unset: as fast as possible. */
  overallRate?: number;
  method: "GET" | "POST";
  body?: string;
  /** Requests go to these in turn (e.g. one per learner: their session path and token). */
  targets: { path: string; headers: Record<string, string>; body?: string }[];
  /**
   * Share (0–1) of requests whose body gets a comment line of its own appended, so that it is a
   * program never seen before (an edit), while the others are resubmissions of the same text.
   */
  editedShare?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  ok: number;
  notOk: number;
  errors: number;
}

export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  let edits = 0;
  const bodyOf = (target: LoadSpec["targets"][number]) => {
    const body = target.body ?? spec.body;
    if (body === undefined || !spec.editedShare || Math.random() >= spec.editedShare) return body;
    // JSON text of a program: a comment inside the "code" string keeps it valid JSON.
    return body.replace(/"code":"/, `"code":"// edit ${process.pid}.${edits++}\\n`);
  };
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    requests: [
      {
        method: spec.method,
        setupRequest: (request) => {
          const target = spec.targets[next++ % spec.targets.length]!;
          const body = bodyOf(target);
          return {
            ...request,
            path: target.path,
            headers: target.headers,
            ...(body === undefined ? {} : { body }),
          };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    ok: result["2xx"],
    notOk: result.non2xx,
    errors: result.errors,
  };
}

if (process.send) {
  process.once("message", (spec: LoadSpec) => {
    generateLoad(spec).then(
      (result) => process.send!(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
