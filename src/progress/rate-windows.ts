// Rate-limit windows in the database, so every replica counts against one limit (the
// RateWindows of src/quotas/rate-limit.ts, which keeps the same in memory). Each check is one
// statement on the UNLOGGED rate_windows table: an upsert that starts, counts or refuses
// atomically, so two replicas taking the last place at once cannot both get it.
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

const TAKE = {
  name: "rate_windows_take",
  text: `INSERT INTO rate_windows AS w (key, count, expires_at) VALUES ($1, 1, $3::bigint + $4::bigint)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN w.expires_at <= $3::bigint THEN 1 ELSE LEAST(w.count + 1, $2::int + 1) END,
      expires_at = CASE WHEN w.expires_at <= $3::bigint THEN $3::bigint + $4::bigint ELSE w.expires_at END
    RETURNING count, expires_at`,
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
    /** Counts one event in the key's window (a new one if it ended), unless it is full. */
    async take(key: string, limit: number, windowMs: number, at: number): Promise<WindowState> {
      const rows = await sql.query<Row>(TAKE, [toStorableText(key), limit, at, windowMs]);
      return state(rows[0]);
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
