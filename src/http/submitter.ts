// Taking a submission from request to stored grade, for both HTTP and WebSocket: checks what
// the learner sent, honours the Idempotency-Key, rate-limits, grades with a cap on waiting, and
// stores the submission with its progress in one transaction. Nothing is acknowledged before
// that transaction commits.
import type { Config } from "../config.ts";
import type { Grader, LessonCatalogue } from "../grading/types.ts";
import type { SessionRecord, SubmissionRow, TraceRecord } from "../progress/submissions.ts";
import type { Store } from "../progress/store.ts";
import { packetsJson as serialisePackets } from "../runner/index.ts";
import type { Language, RunOptions } from "../runner/types.ts";
import { apiError, quote } from "./errors.ts";
import type { Metrics } from "./metrics.ts";
import type { PacketEvent } from "../netsim/types.ts";
import { createConcurrencyLimit } from "../quotas/concurrency.ts";
import type { RateLimiter } from "../quotas/rate-limit.ts";
import { submissionLimits } from "../run-limits.ts";

/** The languages the sandbox can run; the API's Language enum is this list. */
export const LANGUAGES = [
  "javascript",
  "typescript",
  "rust",
] as const satisfies readonly Language[];
/** Without a Rust compiler (RUST_ENABLED=false, or no toolchain) a server runs these. */
export const INTERPRETED_LANGUAGES = ["javascript", "typescript"] as const;

/** The refusal of a language the sandbox does not run, the same over HTTP and the stream. */
export function unsupportedLanguage(language: unknown, available: readonly string[] = LANGUAGES) {
  const known = (LANGUAGES as readonly unknown[]).includes(language);
  return apiError(
    "UNSUPPORTED_LANGUAGE",
    `Language ${quote(String(language))} is not ${known ? "available on this server" : "supported"}; use ${available.join(", ")}.`,
  );
}

export interface SubmitInput {
  /** Whose quota the submission counts against, whatever the channel or token. */
  learnerId: string;
  session: SessionRecord;
  exerciseId: string;
  code: string;
  language: string;
  idempotencyKey?: string | undefined;
  channel: "http" | "websocket";
  onEvent?: RunOptions["onEvent"];
  /** The run's place in the queue while every sandbox is busy (1 = next). */
  onQueued?: RunOptions["onQueued"];
  /** Called once the submission passed every check and the rate limit, as its run begins. */
  onAccepted?: () => void;
  /** A compiled language (Rust): called before and after compiling, before the run proper. */
  onCompiling?: RunOptions["onCompiling"];
  onCompiled?: RunOptions["onCompiled"];
  /** A sandbox took the run (it left the queue). */
  onStarted?: RunOptions["onStarted"];
  /** Aborting it cancels the run (the WebSocket's `cancel`); nothing is stored then. */
  signal?: AbortSignal;
}

/** How an asynchronous submission is graded (async-submitter.ts); a synchronous one: none. */
export interface GradeOptions {
  /** The id the submission was given when it was accepted (its pending row's). */
  id: string;
  /** The quotas were charged when it was accepted, by another process perhaps: not again. */
  charged?: boolean;
  /** Awaited once the quotas let it through, before its run is queued. */
  beforeRun?: () => Promise<void>;
}

export interface Submitted {
  row: SubmissionRow;
  trace: TraceRecord | null;
  /** trace.packets as JSON, when it was serialised for storing (the response reuses it). */
  packetsJson?: string;
  replayed: boolean;
}

export interface SubmitterDeps {
  config: Pick<
    Config,
    | "MAX_CODE_BYTES"
    | "SYNC_WAIT_MS"
    | "TRACE_MAX_PACKETS"
    | "RUN_CPU_MS"
    | "RUN_WALL_MS"
    | "RUN_MEMORY_MB"
    | "RUN_OUTPUT_BYTES"
    | "RUN_MAX_PACKETS"
    | "RUNS_PER_LEARNER"
    | "TRACE_MAX_BYTES"
  >;
  store: Pick<Store, "submissions">;
  catalogue: Pick<LessonCatalogue, "get">;
  grader: Pick<Grader, "gradeSubmission">;
  metrics: Pick<Metrics, "runs" | "runSeconds">;
  limiter: RateLimiter;
  /** Aborted when the service shuts down: runs in flight are cancelled. */
  shutdown: AbortSignal;
  /** The languages this server runs (Rust needs its compiler); default: JavaScript, TypeScript. */
  languages?: readonly Language[];
  /**
   * Called after a submission that caused outbox rows (a webhook or LTI delivery) is committed.
   * Most cause none: waking the relay for those cost a claim statement per submission that
   * found nothing the relay's poll would not.
   */
  onOutboxRows?: () => void;
}

export function createSubmitter(deps: SubmitterDeps) {
  const { config, store } = deps;
  const languages = deps.languages ?? INTERPRETED_LANGUAGES;
  // Concurrent duplicates within this process share one grading; across replicas the unique
  // (learner, key) index makes the loser return the winner's submission.
  const inFlight = new Map<string, Promise<Submitted>>();
  let running = 0;
  // Runs each learner has going, over HTTP and every stream: one learner's hundred parallel
  // submissions must not fill the sandboxes another learner is waiting for.
  const runsOfLearner = createConcurrencyLimit(config.RUNS_PER_LEARNER);

  function checkInput(input: SubmitInput): Language {
    const bytes = Buffer.byteLength(input.code, "utf8");
    if (bytes > config.MAX_CODE_BYTES) {
      throw apiError(
        "CODE_TOO_LARGE",
        `The program is ${bytes} bytes; the limit is ${config.MAX_CODE_BYTES}.`,
      );
    }
    if (!(languages as readonly string[]).includes(input.language)) {
      throw unsupportedLanguage(input.language, languages);
    }
    const lesson = deps.catalogue.get(input.session.lessonId);
    if (!lesson)
      throw apiError(
        "LESSON_NOT_FOUND",
        `Lesson ${quote(input.session.lessonId)} is no longer offered.`,
      );
    if (!lesson.exercises.some((exercise) => exercise.id === input.exerciseId)) {
      throw apiError(
        "EXERCISE_NOT_FOUND",
        `Lesson ${quote(lesson.id)} has no exercise ${quote(input.exerciseId)}.`,
      );
    }
    return input.language as Language;
  }

  async function replay(input: SubmitInput, row: SubmissionRow): Promise<Submitted> {
    assertSameSubmission(input, row);
    return { row, trace: await store.submissions.findTrace(row.id), replayed: true };
  }

  async function gradeAndStore(
    input: SubmitInput,
    language: Language,
    options?: GradeOptions,
  ): Promise<Submitted> {
    if (options?.charged) {
      running++;
      try {
        return await gradeAndStoreAllowed(input, language, options);
      } finally {
        running--;
      }
    }
    // Checked before the rate limit, so a refused run does not use the allowance.
    if (!runsOfLearner.enter(input.learnerId)) {
      throw apiError(
        "TOO_MANY_RUNS",
        `You have ${config.RUNS_PER_LEARNER} runs going already; wait for one to finish.`,
        { "retry-after": "1" },
      );
    }
    try {
      return await gradeAndStoreEntered(input, language, options);
    } finally {
      runsOfLearner.leave(input.learnerId);
    }
  }

  async function gradeAndStoreEntered(
    input: SubmitInput,
    language: Language,
    options: GradeOptions | undefined,
  ): Promise<Submitted> {
    // Keyed on the learner, not the token or connection: HTTP and every WebSocket (token- or
    // ticket-opened) draw on one allowance.
    const allowed = await deps.limiter.take(input.learnerId);
    if (!allowed.allowed) {
      throw apiError(
        "RATE_LIMITED",
        `More than the allowed submissions per minute; retry in ${allowed.retryAfterSeconds} s.`,
        {
          "retry-after": String(allowed.retryAfterSeconds),
        },
      );
    }
    running++;
    try {
      input.onAccepted?.();
      await options?.beforeRun?.();
      return await gradeAndStoreAllowed(input, language, options);
    } catch (error) {
      // A run the service could not grade or store (sandboxes busy, the database down or
      // refusing the row, shutdown) is given back to the learner's allowance. A run the learner
      // cancelled used a sandbox: it counts, or cancelling would lift the limit.
      // (A release that fails too, the database being down, leaves the error that got here.)
      if (!(error instanceof CancelledError))
        await deps.limiter.release(input.learnerId).catch(() => {});
      throw error;
    } finally {
      running--;
    }
  }

  async function gradeAndStoreAllowed(
    input: SubmitInput,
    language: Language,
    options?: GradeOptions,
  ): Promise<Submitted> {
    // One controller, a timer and two listeners, removed when done: AbortSignal.any and
    // AbortSignal.timeout cost ~15 µs a submission and keep their signals for the GC to find.
    const controller = new AbortController();
    const abort = () => controller.abort();
    const waited = { timedOut: false };
    // Nobody holds a connection open for an asynchronous submission: it waits its turn.
    const timer = options
      ? undefined
      : setTimeout(() => ((waited.timedOut = true), abort()), config.SYNC_WAIT_MS);
    deps.shutdown.addEventListener("abort", abort);
    input.signal?.addEventListener("abort", abort);
    if (deps.shutdown.aborted || input.signal?.aborted) abort();
    const { signal } = controller;
    const stopped = () => abortReason(waited.timedOut, input.signal);
    const startedAt = new Date();
    let graded;
    try {
      graded = await deps.grader.gradeSubmission(
        {
          lessonId: input.session.lessonId,
          exerciseId: input.exerciseId,
          code: input.code,
          language,
          seed: input.session.seed,
          limits: submissionLimits(config),
        },
        {
          signal,
          // Learners are served in turn, whichever channel they use.
          queueKey: input.learnerId,
          ...(input.onEvent ? { onEvent: input.onEvent } : {}),
          ...(input.onCompiling ? { onCompiling: input.onCompiling } : {}),
          ...(input.onCompiled ? { onCompiled: input.onCompiled } : {}),
          ...(input.onQueued ? { onQueued: input.onQueued } : {}),
          ...(input.onStarted ? { onStarted: input.onStarted } : {}),
        },
      );
    } catch (error) {
      throw stopped() ?? translateGradingError(error);
    } finally {
      clearTimeout(timer);
      deps.shutdown.removeEventListener("abort", abort);
      input.signal?.removeEventListener("abort", abort);
    }
    const cancelled = stopped();
    if (cancelled) throw cancelled;
    const finishedAt = new Date();
    const { packets, packetsJson } = keptTrace(
      graded.run.packets,
      config.TRACE_MAX_PACKETS,
      config.TRACE_MAX_BYTES,
    );
    const { row, replayed, outboxRows } = await store.submissions.record({
      id: options?.id,
      learnerId: input.learnerId,
      sessionId: input.session.id,
      code: input.code,
      language,
      idempotencyKey: input.idempotencyKey,
      startedAt,
      finishedAt,
      graded,
      traceMaxPackets: packets.length,
    });
    if (outboxRows > 0) deps.onOutboxRows?.();
    deps.metrics.runs.inc({ outcome: graded.run.outcome, channel: input.channel });
    deps.metrics.runSeconds.observe((Date.now() - startedAt.getTime()) / 1000);
    if (replayed) return replay(input, row);
    return {
      row,
      trace: {
        packets,
        totalPackets: graded.run.packets.length,
        truncated: packets.length < graded.run.packets.length,
      },
      packetsJson,
      replayed: false,
    };
  }

  /** Why a run was stopped early, as the error to report; undefined if it was not. */
  function abortReason(timedOut: boolean, caller: AbortSignal | undefined): Error | undefined {
    if (caller?.aborted) return new CancelledError();
    if (deps.shutdown.aborted)
      return apiError(
        "SHUTTING_DOWN",
        "The service is restarting; the run was cancelled. Retry shortly.",
        { "retry-after": "5" },
      );
    if (timedOut) {
      return apiError(
        "RUNNER_BUSY",
        `No sandbox finished the run within ${config.SYNC_WAIT_MS} ms; retry shortly.`,
        { "retry-after": "2" },
      );
    }
    return undefined;
  }

  return {
    /** Runs being graded now (the shutdown waits for them). */
    inFlight: () => running,

    /** What submit refuses before any quota or run (size, language, lesson, exercise). */
    check: checkInput,

    /**
     * Grades an asynchronous submission under the id it was accepted with: the same quotas
     * (unless `charged`), run and stored row as submit, no cap on waiting. Its idempotency key,
     * if any, was resolved when it was accepted.
     */
    async grade(input: SubmitInput, options: GradeOptions): Promise<Submitted> {
      return gradeAndStore(input, checkInput(input), options);
    },

    async submit(input: SubmitInput): Promise<Submitted> {
      const language = checkInput(input);
      if (!input.idempotencyKey) return gradeAndStore(input, language);
      const existing = await store.submissions.findByIdempotencyKey(
        input.learnerId,
        input.idempotencyKey,
      );
      if (existing) return replay(input, existing);
      const key = `${input.learnerId}\u0000${input.idempotencyKey}`;
      const pending = inFlight.get(key);
      if (pending) {
        const first = await pending;
        return replay(input, first.row);
      }
      const promise = gradeAndStore(input, language);
      inFlight.set(key, promise);
      try {
        return await promise;
      } finally {
        inFlight.delete(key);
      }
    },
  };
}

/**
 * The packets a submission's stored trace keeps: the first ones, in order, until either
 * `maxPackets` of them or `maxBytes` bytes of their JSON would be passed. With that JSON (the
 * runner's packets come with their text: nothing is serialised again).
 */
export function keptTrace(
  all: readonly PacketEvent[],
  maxPackets: number,
  maxBytes: number,
): { packets: PacketEvent[]; packetsJson: string } {
  const candidates = all.slice(0, maxPackets);
  const whole = serialisePackets(candidates);
  // A UTF-16 code unit is at most 3 bytes of UTF-8: counting them exactly (a scan of ~14 KB of
  // two-byte text per Alice submission) is only needed near the limit.
  if (whole.length * 3 <= maxBytes || Buffer.byteLength(whole, "utf8") <= maxBytes)
    return { packets: candidates, packetsJson: whole };
  let bytes = 2; // "[" and "]"
  let kept = 0;
  for (const packet of candidates) {
    const size = Buffer.byteLength(serialisePackets([packet]), "utf8") - 2 + (kept > 0 ? 1 : 0);
    if (bytes + size > maxBytes) break;
    bytes += size;
    kept++;
  }
  const packets = candidates.slice(0, kept);
  return { packets, packetsJson: serialisePackets(packets) };
}

/** The runner's and grader's own refusals, as the API's codes. */
function translateGradingError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "RUNNER_BUSY")
    return apiError("RUNNER_BUSY", "Every sandbox is busy; retry shortly.", { "retry-after": "2" });
  if (code === "COMPILER_BUSY") {
    const seconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return apiError("COMPILER_BUSY", "Every compiler is busy; retry shortly.", {
      "retry-after": String(typeof seconds === "number" ? seconds : 5),
    });
  }
  if (code === "LESSON_NOT_FOUND" || code === "EXERCISE_NOT_FOUND") return apiError(code, message);
  return error;
}

export class CancelledError extends Error {
  override name = "CancelledError";
  constructor() {
    super("The run was cancelled.");
  }
}

export type Submitter = ReturnType<typeof createSubmitter>;

/**
 * A repeated Idempotency-Key must name the same program for the same exercise and session as the
 * submission (graded or still pending) it was first used for; anything else is the caller's mistake.
 */
export function assertSameSubmission(
  input: Pick<SubmitInput, "session" | "exerciseId" | "code" | "idempotencyKey">,
  row: { id: string; sessionId: string; exerciseId: string; code: string },
): void {
  if (
    row.sessionId !== input.session.id ||
    row.exerciseId !== input.exerciseId ||
    row.code !== input.code
  ) {
    throw apiError(
      "IDEMPOTENCY_KEY_REUSED",
      `Idempotency-Key ${quote(input.idempotencyKey ?? "")} was already used for another submission (${row.id}).`,
    );
  }
}
