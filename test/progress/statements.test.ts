// The hot path's named statements (db.sql): on PGlite they are prepared once and bound on every
// call (pglite-statements.ts), so what matters is that every call binds its own values, that
// an error leaves the statement usable, and that a call never lands inside another caller's
// transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Statement } from "../../src/progress/database.ts";
import { isConnectivityError, isUniqueViolation } from "../../src/progress/errors.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase();
  await test.db.rawTransaction((tx) =>
    tx.exec(`CREATE TABLE statement_probe (id integer PRIMARY KEY, label text NOT NULL,
      at timestamptz NOT NULL, body jsonb, flags varchar(10)[])`),
  );
});
afterAll(async () => test.close());

const insert: Statement = {
  name: "packetlab_test_probe_insert",
  text: `INSERT INTO statement_probe (id, label, at, body, flags)
    VALUES ($1::integer, $2, $3::timestamptz, $4::jsonb, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)))
    RETURNING id, label, at, body, flags, id * 2 AS "twice"`,
};
const count: Statement = {
  name: "packetlab_test_probe_count",
  text: `SELECT count(*)::integer AS n FROM statement_probe WHERE label = $1`,
};

describe("named statements", () => {
  it("binds each call's own values and parses what comes back", async () => {
    const rows = [];
    for (let id = 1; id <= 8; id++) {
      // More calls than PostgreSQL's five custom plans: the generic plan must bind the same.
      const at = new Date(Date.UTC(2026, 0, id, 12, 0, 0, id));
      const [row] = await test.db.sql.query<Record<string, unknown>>(insert, [
        id,
        `label ${id}`,
        at,
        JSON.stringify({ id, nested: ["a", id] }),
        JSON.stringify(id % 2 ? ["odd"] : []),
      ]);
      rows.push({ row, at });
    }
    for (const [i, { row, at }] of rows.entries()) {
      const id = i + 1;
      expect(row).toEqual({
        id,
        label: `label ${id}`,
        at,
        body: { id, nested: ["a", id] },
        flags: id % 2 ? ["odd"] : [],
        twice: id * 2,
      });
    }
  });

  it("reports an error with its SQLSTATE and stays usable after it", async () => {
    const values = (label: string) => [100, label, new Date(), null, "[]"];
    await test.db.sql.query(insert, values("first"));
    const failure = await test.db.sql.query(insert, values("again")).catch((error) => error);
    expect(isUniqueViolation(failure)).toBe(true);
    const [row] = await test.db.sql.query<{ id: number }>(insert, [
      101,
      "after",
      new Date(),
      null,
      "[]",
    ]);
    expect(row?.id).toBe(101);
  });

  it("never runs inside another caller's transaction", async () => {
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    let proceed!: () => void;
    const release = new Promise<void>((resolve) => (proceed = resolve));
    const rolledBack = test.db
      .rawTransaction(async (tx) => {
        await tx.query(
          `INSERT INTO statement_probe (id, label, at) VALUES (200, 'rolled back', now())`,
        );
        inside();
        await release;
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    await entered;
    // Sent while the transaction is open: it must run after it, so the rollback cannot undo it.
    const outside = test.db.sql.query(insert, [201, "outside", new Date(), null, "[]"]);
    proceed();
    expect(await rolledBack).toBe("roll back");
    await outside;
    expect(await test.db.sql.query(count, ["rolled back"])).toEqual([{ n: 0 }]);
    expect(await test.db.sql.query(count, ["outside"])).toEqual([{ n: 1 }]);
  });
});

describe("a closed database", () => {
  // On PGlite a named statement went into WebAssembly and failed with a TypeError; on PostgreSQL
  // the ended pool's error was not known as an outage either (a request during shutdown).
  it("refuses a named statement as unreachable (503), not as a bug (500)", async () => {
    const closing = await openTestDatabase();
    await closing.db.sql.query(count, ["warm"]).catch(() => {}); // prepared while open
    await closing.db.close();
    const refused = await closing.db.sql.query(count, ["x"]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isConnectivityError(refused)).toBe(true);
    await closing.close().catch(() => {});
  });
});
