// Opens the database: PostgreSQL when a URL is given, else PGlite (PostgreSQL compiled to
// WebAssembly) persisted in a directory, so `npm start` works with nothing else installed.
// Both speak the same SQL, so one schema, one set of migrations and one test suite serve both.
//
// Each kind's driver and Prisma adapter are imported when that kind is opened, so the embedded
// database's start-up does not load pg and its Prisma adapter (~0.1 s of CPU). Prisma's client
// too is imported as the database opens: PGlite's open starts without waiting for it, and its
// reads of PostgreSQL's files leave the thread free to load Prisma (~0.1 s) meanwhile.
import { mkdirSync } from "node:fs";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { fromStorable, toStorable } from "./storable-text.ts";
import { createPgliteStatements } from "./pglite-statements.ts";
import { pgliteRawTransaction, unpackTemplate } from "./pglite-template.ts";

/** Raw SQL on one connection inside one transaction, for the migrator. */
export interface RawTransaction {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements separated by semicolons (a migration.sql file). */
  exec(text: string): Promise<void>;
}

/** A statement run often enough that its parse and plan should be kept (per connection). */
export interface Statement {
  /** Unique per text: PostgreSQL keeps one prepared statement per name and connection. */
  name: string;
  text: string;
}

/**
 * Plain SQL for the few hot paths (a graded submission's write), where Prisma's per-query cost
 * (~0.3 ms of CPU) is larger than the query's: one round trip, a prepared statement, no ORM.
 * Rows come back with their text as written (storable-text.ts); a statement that writes text a
 * learner or teacher produced escapes those parameters itself (toStorableText, toStorableJson).
 */
export interface Sql {
  query<Row>(statement: Statement, values: unknown[]): Promise<Row[]>;
}

export interface Database {
  readonly kind: "pglite" | "postgresql";
  readonly prisma: PrismaClient;
  readonly sql: Sql;
  rawTransaction<T>(fn: (tx: RawTransaction) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgresql://…; when absent the embedded database is used. */
  url?: string | undefined;
  /** Where the embedded database keeps its files; absent means in memory (tests). */
  dataDir?: string | undefined;
  /** Connections PostgreSQL may use. */
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 10)
    : openPglite(options.dataDir);
}

/**
 * Every Prisma query writes its strings in their storable form and reads them back as written
 * (storable-text.ts): NUL and lone surrogates are stored escaped, whatever the table; raw
 * queries' parameters too. The hand-written statements of the hot path (submissions.ts, on
 * `sql`) escape their parameters themselves.
 */
function withStorableText(
  { Prisma }: typeof import("../generated/prisma/client.ts"),
  prisma: PrismaClient,
): PrismaClient {
  const extended = prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        // A tagged $queryRaw/$executeRaw passes a Sql object: its values are the parameters.
        const storable =
          args instanceof Prisma.Sql
            ? new Prisma.Sql(args.strings, toStorable(args.values))
            : toStorable(args);
        return fromStorable(await query(storable as typeof args));
      },
    },
  });
  // The same client with one more step per query; its type only differs in what $extends added.
  return extended as unknown as PrismaClient;
}

/**
 * The Prisma client, made when it is first used, not as the database opens: making one decodes
 * the schema's runtime data model (~60 ms of CPU), and start-up itself sends no Prisma query
 * (migrations, the outbox relay's and the pending sweep's statements and /readyz are plain SQL).
 * Methods are bound to the client, so its own `this` (and private fields) are what they expect.
 */
function prismaOnFirstUse(make: () => PrismaClient): {
  prisma: PrismaClient;
  disconnect(): Promise<void>;
} {
  let client: PrismaClient | undefined;
  const prisma = new Proxy({} as PrismaClient, {
    get(_target, key) {
      client ??= make();
      const value: unknown = Reflect.get(client, key);
      return typeof value === "function" ? value.bind(client) : value;
    },
  });
  return { prisma, disconnect: async () => client?.$disconnect() };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const [{ default: pg }, { PrismaPg }, client] = await Promise.all([
    import("pg"),
    import("@prisma/adapter-pg"),
    import("../generated/prisma/client.ts"),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its server emits 'error' on the pool; without a listener that would
  // crash the process. Queries report the failure to their callers anyway.
  pool.on("error", () => {});
  const { prisma, disconnect } = prismaOnFirstUse(() =>
    withStorableText(client, new client.PrismaClient({ adapter: new PrismaPg(pool) })),
  );
  let closed = false;
  return {
    kind: "postgresql",
    prisma,
    sql: {
      async query<Row>(statement: Statement, values: unknown[]) {
        const result = await pool.query({ name: statement.name, text: statement.text, values });
        return fromStorable(result.rows as Row[]);
      },
    },
    async rawTransaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({
          query: async (text, params) => (await client.query(text, params)).rows,
          exec: async (text) => void (await client.query(text)),
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      await disconnect();
      await pool.end().catch(() => {});
    },
  };
}

// PostgreSQL's page cache inside PGlite's WebAssembly memory. initdb's 128MB is touched as the
// database starts (~115 MB of the API process's RSS before a single query); a class's working set
// (new submissions, the progress rows, sessions and tokens) is a few MB, and pages outside it are
// read through the operating system's cache like any file. Larger deployments use PostgreSQL.
const PGLITE_SHARED_BUFFERS = "16MB";

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  if (dataDir && !(await unpackTemplate(dataDir))) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, {
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
  const [client, { PrismaPGlite }] = await Promise.all([
    import("../generated/prisma/client.ts"),
    import("pglite-prisma-adapter"),
    pglite.waitReady,
  ]);
  const { prisma, disconnect } = prismaOnFirstUse(() =>
    withStorableText(client, new client.PrismaClient({ adapter: new PrismaPGlite(pglite) })),
  );
  const statements = createPgliteStatements(pglite);
  return {
    kind: "pglite",
    prisma,
    sql: {
      async query<Row>(statement: Statement, values: unknown[]) {
        return fromStorable(await statements.query<Row>(statement, values));
      },
    },
    rawTransaction: (fn) => pgliteRawTransaction(pglite, fn),
    async ping() {
      if (pglite.closed) throw new Error("the embedded database is closed");
      await pglite.query("SELECT 1");
    },
    async close() {
      if (pglite.closed) return;
      await disconnect();
      await pglite.close();
    },
  };
}
