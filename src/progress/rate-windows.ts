// Rate-limit windows in the database, so every replica counts against one limit (the
// RateWindows of src/quotas/rate-limit.ts, which keeps the same in memory). Each check is an
// upsert on the UNLOGGED rate_windows table that starts, counts or refuses atomically, so two
// replicas taking the last place at once cannot both get it.
//
// A window's count goes at most one past its limit: a refused take leaves it at limit + 1, which
// is how the statement tells the caller it was refused without a second read.
import type { Sql } from "./database.ts";
import { toStorableText } from "./storable-text.ts";

export interface WindowState {
  /** Events counted in the window, after this one; above the limit means refused. */
  count: number;
  /** When the window ends (ms since 1970); 0 when there is no window. */
  expiresAt: number;
}

// The takes of one turn of the event loop (shared-windows.ts) in one statement: each row starts,
// counts or refuses with its own limit, time and window from the input. Keys are distinct within
// a statement and locked in key order, so two replicas' statements over the same keys queue up
// instead of deadlocking.
const TAKE_MANY = {
  name: "rate_windows_take_many",
  text: `WITH input AS (
      SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]) AS t(key, max_count, at, window_ms)
    )
    INSERT INTO rate_windows AS w (key, count, expires_at)
    SELECT key, 1, at + window_ms FROM input ORDER BY key
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN w.expires_at <= (SELECT at FROM input WHERE input.key = w.key) THEN 1
        ELSE LEAST(w.count + 1, (SELECT max_count FROM input WHERE input.key = w.key) + 1) END,
      expires_at = CASE WHEN w.expires_at <= (SELECT at FROM input WHERE input.key = w.key)
        THEN EXCLUDED.expires_at ELSE w.expires_at END
    RETURNING key, count, expires_at`,
};

const PEEK = {
  name: "rate_windows_peek",
  text: `SELECT count, expires_at FROM rate_windows WHERE key = $1 AND expires_at > $2::bigint`,
};

// The refused surplus is dropped first, so the place given back is a real one.
const RELEASE = {
  name: "rate_windows_release",
  text: `UPDATE rate_windows SET count = LEAST(count, $2::int) - 1
    WHERE key = $1 AND expires_at > $3::bigint AND count > 0`,
};

const PRUNE = {
  name: "rate_windows_prune",
  text: `DELETE FROM rate_windows WHERE expires_at <= $1::bigint`,
};

interface Row {
  count: number;
  // pg returns bigint as text; PGlite as a bigint or number.
  expires_at: string | number | bigint;
}

const state = (row: Row | undefined): WindowState =>
  row ? { count: row.count, expiresAt: Number(row.expires_at) } : { count: 0, expiresAt: 0 };

export function createRateWindowStore(sql: Sql) {
  return {
    /**
     * Counts one event in each key's window (a new one if it ended), unless it is full: distinct
     * keys, in one statement; the states in the order asked.
     */
    async takeMany(
      takes: readonly { key: string; limit: number; windowMs: number; at: number }[],
    ): Promise<WindowState[]> {
      const keys = takes.map((take) => toStorableText(take.key));
      const rows = await sql.query<Row & { key: string }>(TAKE_MANY, [
        keys,
        takes.map((take) => take.limit),
        takes.map((take) => take.at),
        takes.map((take) => take.windowMs),
      ]);
      // Rows come back with their keys as stored (sql.query undoes the escape).
      const byKey = new Map(rows.map((row) => [row.key, row]));
      return takes.map((take) => state(byKey.get(take.key)));
    },

    /** The key's window as it is at `at`, counting nothing. */
    async peek(key: string, at: number): Promise<WindowState> {
      return state((await sql.query<Row>(PEEK, [toStorableText(key), at]))[0]);
    },

    /** Gives one counted event back, if the window it was counted in is still open. */
    async release(key: string, limit: number, at: number): Promise<void> {
      await sql.query(RELEASE, [toStorableText(key), limit, at]);
    },

    /** Deletes the windows that ended before `at`. */
    async prune(at: number): Promise<void> {
      await sql.query(PRUNE, [at]);
    },
  };
}

export type RateWindowStore = ReturnType<typeof createRateWindowStore>;
