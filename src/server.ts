// The process: configuration, database (migrated), lessons, sandbox pool, HTTP server, and a
// graceful shutdown on SIGTERM/SIGINT: stop accepting, let runs in flight finish (then cancel
// the rest), close sockets, the sandbox pool and the database.
import { resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { loadConfig, type Config } from "./config.ts";
import type { Database } from "./progress/database.ts";
import { compilerFromConfig, type Compiler } from "./compile/from-config.ts";
import { createRunner } from "./runner/index.ts";
import type { Runner } from "./runner/types.ts";

export interface RunningServer {
  app: FastifyInstance;
  config: Config;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  address: string;
  close(): Promise<void>;
}

export async function startServer(
  env: Record<string, string | undefined> = process.env,
): Promise<RunningServer> {
  const config = loadConfig(env);
  const opened: {
    db?: Database;
    runner?: Runner;
    compiler?: Compiler | null;
    app?: FastifyInstance;
  } = {};
  const closeAll = async () => {
    // Order matters: the app waits for runs in flight, which need the runner and the database.
    await opened.app?.close();
    await opened.runner?.close();
    await opened.compiler?.close();
    await opened.db?.close();
  };
  try {
    const runLimits = {
      cpuMs: config.RUN_CPU_MS,
      wallMs: config.RUN_WALL_MS,
      memoryMb: config.RUN_MEMORY_MB,
      outputBytes: config.RUN_OUTPUT_BYTES,
      maxPackets: config.RUN_MAX_PACKETS,
    };
    // Start-up waits for whichever is slowest of the sandbox workers (each a process of its own),
    // the Rust facade's build (rustc, likewise), the database (opened and migrated) and the
    // lessons (whose modules esbuild bundles in a process of its own when dist/ has no current
    // copy). The processes are started first, before this process loads the rest of its code
    // (~0.3 s) and opens the database (~0.5 s, both on this thread), so their work proceeds on
    // the other cores meanwhile; forking is also cheaper while this process is still small.
    const pool = (opened.runner = createRunner({
      ...(config.RUNNER_WORKERS > 0 ? { workers: config.RUNNER_WORKERS } : {}),
      maxQueue: config.RUN_QUEUE_MAX,
      maxQueueBytes: config.RUN_QUEUE_MB * 2 ** 20,
      maxQueuedPerLearner: config.RUN_QUEUE_PER_LEARNER,
      limits: runLimits,
    }));
    // Rust: the std facade is built at boot (rustc, in a process of its own, alongside the rest),
    // so a broken toolchain shows now, not at a learner's run; or copied from the facade cache,
    // when an earlier start with the same toolchain built it.
    let compiler = (opened.compiler = compilerFromConfig(config));
    const warmed = compiler?.warm().then(
      () => undefined,
      (error: unknown) => error,
    );
    // The database first: its open waits on file reads and WebAssembly set-up at times, when this
    // thread loads the rest of the code.
    const database = Promise.all([
      import("./progress/database.ts"),
      import("./progress/migrate.ts"),
    ]).then(async ([{ openDatabase }, { migrate }]) => {
      const db = (opened.db = await openDatabase({
        url: config.DATABASE_URL,
        dataDir: resolve(config.DATA_DIR),
      }));
      return { db, applied: await migrate(db) };
    });
    // The lessons as soon as their loader is: reading them is many small files and imports, each
    // waiting its turn on this thread, so they start before the app's code (~0.6 s) is loaded.
    const grading = import("./grading/index.ts");
    const code = Promise.all([
      import("./app.ts"),
      grading,
      import("./compile/compiling-runner.ts"),
      import("./http/submitter.ts"),
    ]);
    const [migrated, lessons, loaded] = await Promise.allSettled([
      database,
      grading.then(({ loadLessons }) => loadLessons(resolve(config.LESSONS_DIR))),
      code,
    ]);
    // All settled, so whatever opened is in `opened` and closed below if any failed.
    if (migrated.status === "rejected") throw migrated.reason;
    if (lessons.status === "rejected") throw lessons.reason;
    if (loaded.status === "rejected") throw loaded.reason;
    const { db, applied } = migrated.value;
    const catalogue = lessons.value;
    const [{ buildApp }, { createGrader }, { withCompiler }, { LANGUAGES, INTERPRETED_LANGUAGES }] =
      loaded.value;
    let rustProblem: string | undefined;
    const warmError = await warmed;
    if (compiler && warmError !== undefined) {
      if (config.RUST_ENABLED === "true") throw warmError;
      rustProblem = warmError instanceof Error ? warmError.message : String(warmError);
      await compiler.close();
      compiler = opened.compiler = null;
    }
    const runner = compiler ? withCompiler(pool, compiler, runLimits) : pool;
    const languages = compiler ? LANGUAGES : INTERPRETED_LANGUAGES;
    const grader = createGrader({ catalogue, runner });
    const app = (opened.app = await buildApp({ config, db, catalogue, grader, runner, languages }));
    if (rustProblem) app.log.warn({ problem: rustProblem }, "Rust is off: its toolchain failed");
    app.log.info(
      {
        database: db.kind,
        migrationsApplied: applied,
        lessons: catalogue.list().map((lesson) => lesson.id),
        languages,
      },
      "starting",
    );
    const address = await app.listen({ port: config.PORT, host: config.HOST });
    return { app, config, address, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => {});
    throw error;
  }
}

/** Runs until SIGTERM/SIGINT; a second signal exits at once. */
export async function serveUntilSignalled(): Promise<number> {
  const server = await startServer();
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        server.app.log.warn({ signal }, "second signal: exiting now");
        process.exit(1);
      }
      stopping = true;
      server.app.log.info({ signal }, "shutting down");
      server.close().then(
        () => done(0),
        (error: unknown) => {
          server.app.log.error({ err: error }, "shutdown failed");
          done(1);
        },
      );
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}
