// The number every replica checks before trusting a cached token (src/http/token-cache.ts):
// raised after each change that makes a token stand for someone else or no one (a revocation,
// a learner deleted or merged away). One row, read by primary key.
import type { Sql } from "./database.ts";

const READ = {
  name: "auth_generation_read",
  text: `SELECT generation FROM auth_generation WHERE id = 1`,
};

// An upsert, so a database whose row was deleted by hand still works.
const RAISE = {
  name: "auth_generation_raise",
  text: `INSERT INTO auth_generation (id, generation) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET generation = auth_generation.generation + 1
    RETURNING generation`,
};

interface Row {
  generation: string | number | bigint;
}

export function createAuthGenerationStore(sql: Sql) {
  return {
    async read(): Promise<number> {
      const [row] = await sql.query<Row>(READ, []);
      return row ? Number(row.generation) : 0;
    },
    async raise(): Promise<number> {
      const [row] = await sql.query<Row>(RAISE, []);
      return Number(row!.generation);
    },
  };
}

export type AuthGenerationStore = ReturnType<typeof createAuthGenerationStore>;
