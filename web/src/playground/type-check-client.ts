// The editor's side of the type-checking worker: one worker for the page, started the first
// time a learner types in or focuses an editor (TypeScript is far heavier than the rest of the
// app, so it stays out of the first load), kept for every exercise after that. A worker that
// fails to load leaves the editor as it was before: completion from the `net` word list, and
// errors after a run. Until its first answer, completion uses that word list too.
import type { CheckRequest, CheckResponse } from "./type-check-protocol.ts";
import type { Problem, QuickInfo } from "./type-check.ts";
import type { CompletionDetails, Completions } from "./type-completions.ts";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
type Ask = WithoutId<CheckRequest>;

let worker: Worker | undefined;
let failed = false;
/** The worker has answered once: TypeScript and the lib files are loaded. */
let answered = false;
let nextId = 0;
const waiting = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();

function giveUp(reason: string) {
  failed = true;
  worker?.terminate();
  worker = undefined;
  for (const { reject } of waiting.values()) reject(new Error(reason));
  waiting.clear();
}

/** Starts the worker (once); true when it is running or starting. */
export function startTypeChecking(): boolean {
  if (failed) return false;
  if (worker) return true;
  worker = new Worker(new URL("./type-check-worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }: MessageEvent<CheckResponse>) => {
    answered = true;
    const entry = waiting.get(data.id);
    waiting.delete(data.id);
    if ("error" in data) entry?.reject(new Error(data.error));
    else entry?.resolve(data.result);
  };
  worker.onerror = (event) => giveUp(`the type checker did not load (${event.message})`);
  return true;
}

export const typeCheckingStarted = () => worker !== undefined;

/** True once the worker has answered: asking it no longer waits for TypeScript to load. */
export const typeCheckingReady = () => worker !== undefined && answered;

function ask<T>(request: Ask): Promise<T> {
  if (!worker) return Promise.reject(new Error("the type checker is not running"));
  const id = ++nextId;
  const answer = new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (result: unknown) => void, reject });
  });
  worker.postMessage({ ...request, id } satisfies CheckRequest);
  return answer;
}

export const problemsOf = (request: Omit<Extract<Ask, { kind: "problems" }>, "kind">) =>
  ask<Problem[]>({ ...request, kind: "problems" });

export const quickInfoAt = (request: Omit<Extract<Ask, { kind: "quick-info" }>, "kind">) =>
  ask<QuickInfo | null>({ ...request, kind: "quick-info" });

export const completionsAt = (request: Omit<Extract<Ask, { kind: "completions" }>, "kind">) =>
  ask<Completions | null>({ ...request, kind: "completions" });

export const completionDetailsOf = (
  request: Omit<Extract<Ask, { kind: "completion-details" }>, "kind">,
) => ask<CompletionDetails | null>({ ...request, kind: "completion-details" });
