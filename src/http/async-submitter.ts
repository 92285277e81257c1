// Asynchronous submissions (Prefer: respond-async). A submission is checked and charged to the
// learner's quotas as a synchronous one is, stored as pending, admitted to the sandbox queue,
// and only then answered 202: a full queue is still a 503 before any promise is made. It is
// graded in the background through the same submitter, so the stored row, its progress and its
// outbox rows (webhooks, LTI scores) come from the same one statement, under the id the 202
// gave. Pending rows are leased (pending-submissions.ts): a sweep, at start-up and every few
// seconds, grades again what a killed replica left, and fails what was cut short three times.
import { randomUUID } from "node:crypto";
import type { Config } from "../config.ts";
import type { PendingSubmission } from "../progress/pending-submissions.ts";
import type { Store } from "../progress/store.ts";
import { ApiError } from "./errors.ts";
import {
  assertSameSubmission,
  CancelledError,
  type SubmitInput,
  type Submitted,
  type Submitter,
} from "./submitter.ts";

/** Gradings begun before a pending submission is failed (each cut short by a crash counts). */
export const MAX_GRADING_ATTEMPTS = 3;
/** Claimed by one sweep; and held by one replica at once (they wait in the fair queue). */
const SWEEP_BATCH = 32;
const MAX_HELD = 512;
/** After an error that may pass (the database), the next try waits this long. */
const RETRY_AFTER_ERROR_MS = 5_000;

/** What this replica knows of a submission it is grading. */
export interface LocalState {
  status: "queued" | "running";
  /** Its place in the sandbox queue (1 = next), while it waits there. */
  queuePosition?: number;
}

interface Job extends LocalState {
  id: string;
  controller: AbortController;
  done?: Promise<void>;
}

export type Accepted =
  | { kind: "pending"; row: PendingSubmission; local?: LocalState }
  /** Graded already: an Idempotency-Key's stored submission, or graded within `wait`. */
  | { kind: "graded"; submitted: Submitted };

type AcceptInput = Omit<SubmitInput, "signal" | "onQueued" | "onStarted" | "onCompiling">;

type Outcome = { ok: true; submitted: Submitted } | { ok: false; error: unknown };

/** The pending row already held by a concurrent request with the same Idempotency-Key. */
class DuplicateKey extends Error {
  constructor(readonly row: PendingSubmission) {
    super("a pending submission has this Idempotency-Key");
  }
}

export interface AsyncSubmitterDeps {
  config: Pick<Config, "ASYNC_LEASE_MS">;
  store: Pick<Store, "submissions" | "pending">;
  submitter: Pick<Submitter, "check" | "grade" | "submit">;
  log: {
    warn(object: object, message: string): void;
    error(object: object, message: string): void;
  };
}

export function createAsyncSubmitter(deps: AsyncSubmitterDeps) {
  const { store, log } = deps;
  const leaseMs = deps.config.ASYNC_LEASE_MS;
  // Renewing at a third of the lease leaves two renewals' slack before another replica may
  // take a submission this one is still grading.
  const sweepMs = Math.max(100, Math.min(5_000, Math.floor(leaseMs / 3)));
  const jobs = new Map<string, Job>();
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  let stopping = false;

  function newJob(id: string): Job {
    return { id, status: "queued", controller: new AbortController() };
  }

  /** The run's progress, as the job remembers it and, for other replicas, the row says. */
  function runHooks(job: Job, admit: () => void) {
    const running = () => {
      if (job.status === "running") return;
      job.status = "running";
      delete job.queuePosition;
      admit();
      store.pending
        .markRunning(job.id)
        .catch((error: unknown) => log.warn({ err: error, submissionId: job.id }, "mark running"));
    };
    return {
      signal: job.controller.signal,
      onQueued: (position: number) => {
        job.queuePosition = position;
        admit();
      },
      onStarted: running,
      onCompiling: running,
    };
  }

  /** Settles a pending row once its grading ended, however it ended. */
  async function settle(job: Job, outcome: Outcome): Promise<void> {
    jobs.delete(job.id);
    try {
      if (outcome.ok) {
        const { row } = outcome.submitted;
        if (row.id === job.id) return await store.pending.remove(job.id);
        // Its Idempotency-Key was stored first by another request (a synchronous retry).
        return await store.pending.fail(
          job.id,
          "IDEMPOTENCY_KEY_REUSED",
          `Its Idempotency-Key was graded first as submission ${row.id}.`,
        );
      }
      const { error } = outcome;
      const code = (error as { code?: unknown } | null)?.code;
      // Stopped by this replica's shutdown: graded again at once by the next sweep, anywhere.
      if (error instanceof CancelledError || code === "SHUTTING_DOWN")
        return await store.pending.release(job.id, 0, false);
      if (code === "RUNNER_BUSY" || code === "COMPILER_BUSY" || code === "TOO_MANY_RUNS") {
        const seconds = Number((error as Partial<ApiError>).headers?.["retry-after"]);
        return await store.pending.release(job.id, (seconds || 2) * 1000, false);
      }
      // Another replica took it over (a renewal came late) and stored it: nothing lost.
      if (await store.submissions.findSubmission(job.id)) return await store.pending.remove(job.id);
      // Deleted with its learner (a teacher removed them) while it ran: nothing to settle.
      if (!(await store.pending.find(job.id))) return;
      if (error instanceof ApiError && error.statusCode < 500)
        return await store.pending.fail(job.id, error.code, error.message);
      log.error({ err: error, submissionId: job.id }, "asynchronous grading failed; retrying");
      await store.pending.release(job.id, RETRY_AFTER_ERROR_MS, true);
    } catch (error) {
      // The database is away: the lease runs out and a later sweep takes the row again.
      log.error({ err: error, submissionId: job.id }, "settling an asynchronous submission");
    }
  }

  function track(job: Job, graded: Promise<Submitted>): Promise<Outcome> {
    jobs.set(job.id, job);
    const outcome = graded.then(
      (submitted): Outcome => ({ ok: true, submitted }),
      (error: unknown): Outcome => ({ ok: false, error }),
    );
    job.done = outcome.then((settled) => settle(job, settled));
    return outcome;
  }

  /** Grades again a row a sweep claimed (its quotas were charged when it was accepted). */
  async function resume(row: PendingSubmission): Promise<void> {
    const session = await store.submissions.findSession(row.learnerId, row.sessionId);
    if (!session) return store.pending.remove(row.id); // deleted with its learner
    const job = newJob(row.id);
    const input: SubmitInput = {
      learnerId: row.learnerId,
      session,
      exerciseId: row.exerciseId,
      code: row.code,
      language: row.language,
      idempotencyKey: row.idempotencyKey ?? undefined,
      channel: "http",
      ...runHooks(job, () => {}),
    };
    void track(job, deps.submitter.grade(input, { id: row.id, charged: true }));
  }

  async function sweepOnce(): Promise<void> {
    const held = [...jobs.keys()];
    await store.pending.renew(held, leaseMs);
    for (;;) {
      const room = Math.min(SWEEP_BATCH, MAX_HELD - jobs.size);
      if (stopping || room <= 0) return;
      const ids = await store.pending.claim(room, leaseMs, MAX_GRADING_ATTEMPTS, [...jobs.keys()]);
      for (const row of await store.pending.findMany(ids)) {
        await resume(row).catch((error: unknown) =>
          log.error({ err: error, submissionId: row.id }, "resuming a pending submission"),
        );
      }
      if (ids.length < room) return;
    }
  }

  function sweep(): void {
    if (sweeping || stopping) return;
    sweeping = sweepOnce()
      .catch((error: unknown) => log.error({ err: error }, "sweeping pending submissions"))
      .finally(() => {
        sweeping = undefined;
        if (!stopping) timer = setTimeout(sweep, sweepMs);
      });
  }

  return {
    /**
     * Accepts a submission for grading in the background. Refusals are the synchronous
     * route's (4xx, 429, 503 when the queue is full), decided before anything is promised.
     * `waitMs` > 0: if it is graded within that time, it is returned graded instead.
     */
    async accept(input: AcceptInput, waitMs = 0): Promise<Accepted> {
      deps.submitter.check(input);
      if (input.idempotencyKey) {
        const key = input.idempotencyKey;
        if (await store.submissions.findByIdempotencyKey(input.learnerId, key)) {
          // Stored: the synchronous route's replay (and its checks that it is the same program).
          return { kind: "graded", submitted: await deps.submitter.submit(input) };
        }
        const pending = await store.pending.findByIdempotencyKey(input.learnerId, key);
        if (pending?.status === "failed") await store.pending.remove(pending.id);
        else if (pending) return samePending(input, pending, jobs.get(pending.id));
      }
      const job = newJob(randomUUID());
      let admit!: () => void;
      const admitted = new Promise<void>((resolve) => (admit = resolve));
      let row: PendingSubmission | undefined;
      const graded = deps.submitter.grade(
        { ...input, ...runHooks(job, () => admit()) },
        {
          id: job.id,
          // Quotas passed: the pending row is written before the run can be queued.
          beforeRun: async () => {
            const created = await store.pending.create({
              id: job.id,
              learnerId: input.learnerId,
              sessionId: input.session.id,
              lessonId: input.session.lessonId,
              exerciseId: input.exerciseId,
              code: input.code,
              language: input.language,
              idempotencyKey: input.idempotencyKey,
              leaseMs,
            });
            if (!created.created) throw new DuplicateKey(created.row);
            row = created.row;
          },
        },
      );
      let settled: Outcome | undefined;
      const outcome = graded.then(
        (submitted): Outcome => (settled = { ok: true, submitted }),
        (error: unknown): Outcome => (settled = { ok: false, error }),
      );
      await Promise.race([admitted, outcome]);
      // A queue that refuses does so in the turn the run is offered: its refusal is in by now.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled && !settled.ok) {
        const { error } = settled;
        if (error instanceof DuplicateKey) return samePending(input, error.row, undefined);
        if (row) await store.pending.remove(job.id);
        throw error;
      }
      // Promised: from here on the row is graded, handed back or failed, never dropped.
      jobs.set(job.id, job);
      job.done = outcome.then((done) => settle(job, done));
      if (waitMs > 0 && !settled) {
        let wake!: () => void;
        const waited = new Promise<void>((resolve) => (wake = resolve));
        const timeout = setTimeout(wake, waitMs);
        await Promise.race([outcome, waited]);
        clearTimeout(timeout);
      }
      // Graded within the wait the client allowed: the answer itself. A client that only asked
      // for respond-async gets its 202 even when the run was quicker than the answer.
      if (waitMs > 0 && settled?.ok && settled.submitted.row.id === job.id)
        return { kind: "graded", submitted: settled.submitted };
      return { kind: "pending", row: row!, local: { status: job.status, ...pick(job) } };
    },

    /** This replica's knowledge of a submission it grades (its queue place), if it does. */
    local(id: string): LocalState | undefined {
      const job = jobs.get(id);
      return job ? { status: job.status, ...pick(job) } : undefined;
    },

    /** Starts the sweeps: the first at once, which grades what a previous run left pending. */
    start(): void {
      stopping = false;
      sweep();
    },

    /** Hands back what still waits for a sandbox, so another replica can take it at once. */
    releaseQueued(): void {
      stopping = true;
      clearTimeout(timer);
      for (const job of jobs.values()) if (job.status === "queued") job.controller.abort();
    },

    /** Stops the sweeps, cancels what is left and waits until every row is settled. */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      await sweeping;
      for (const job of jobs.values()) job.controller.abort();
      await Promise.all([...jobs.values()].map((job) => job.done));
    },

    /** Submissions this replica is grading (for tests and metrics). */
    held: () => jobs.size,
  };
}

function pick(job: LocalState): Pick<LocalState, "queuePosition"> {
  return job.queuePosition === undefined ? {} : { queuePosition: job.queuePosition };
}

/** The pending submission a repeated Idempotency-Key names, if it is the same program. */
function samePending(
  input: AcceptInput,
  row: PendingSubmission,
  local: LocalState | undefined,
): Accepted {
  assertSameSubmission(input, row);
  return { kind: "pending", row, ...(local ? { local } : {}) };
}

export type AsyncSubmitter = ReturnType<typeof createAsyncSubmitter>;
