// Telling "the database is unreachable" (503, retry later) apart from a bug in a query (500).
import { Prisma } from "../generated/prisma/client.ts";

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

const CONNECTIVITY =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|Connection terminated|connection.*(closed|lost|refused)|terminating connection|is closed|after calling end on the pool|timeout exceeded when trying to connect|Can't reach database|server closed|not currently accepting connections|too many clients|the database system is (starting up|shutting down|in recovery mode)/i;

/** True for errors that say the database could not be reached, not that a query was wrong. */
export function isConnectivityError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    // P1xxx: cannot reach or authenticate; P2024: timed out waiting for a pooled connection.
    if (error.code.startsWith("P1") || error.code === "P2024") return true;
  }
  const code = (error as { code?: unknown }).code;
  // PostgreSQL SQLSTATE class 08 (connection exception) and 57P0x (server shutting down).
  if (typeof code === "string" && (/^08/.test(code) || /^57P0/.test(code))) return true;
  if (CONNECTIVITY.test(error.message)) return true;
  return isConnectivityError((error as { cause?: unknown }).cause, depth + 1);
}

export function isUniqueViolation(error: unknown): boolean {
  // Plain SQL (pg, PGlite) carries PostgreSQL's SQLSTATE itself.
  if ((error as { code?: unknown } | null)?.code === "23505") return true;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  // P2002 from model queries; P2010 carries PostgreSQL's SQLSTATE 23505 from raw ones.
  if (error.code === "P2002") return true;
  const meta = error.meta as
    { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  return (
    error.code === "P2010" &&
    (meta?.code === "23505" || meta?.driverAdapterError?.cause?.originalCode === "23505")
  );
}

/** Rethrows connectivity failures as DatabaseUnavailableError, everything else unchanged. */
export function translateDatabaseError(error: unknown): never {
  if (isConnectivityError(error)) {
    throw new DatabaseUnavailableError("the database is unavailable", { cause: error });
  }
  throw error;
}

/** Wraps every method of a store so callers see DatabaseUnavailableError for outages. */
export function guardStore<T extends object>(store: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    guarded[name] =
      typeof value === "function"
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (error) {
              translateDatabaseError(error);
            }
          }
        : value;
  }
  return guarded as T;
}
