// Named prepared statements on PGlite. PGlite's query() sends an unnamed statement (Parse,
// Describe, Bind, Describe, Execute, Sync: six calls into WebAssembly), so PostgreSQL parses and
// plans the text again on every call; for the grade statement that was most of its cost. Here
// each Statement is parsed once under its name and described once, then every call is one
// Bind + Execute + Sync, and after a few executions PostgreSQL keeps a generic plan, as
// node-postgres's named statements get on a PostgreSQL server.
import { parse, protocol, type messages, type PGlite } from "@electric-sql/pglite";
import type { Statement } from "./database.ts";

interface Prepared {
  parameterTypes: number[];
  /** The statement's RowDescription, absent when it returns no rows. */
  rowDescription: messages.RowDescriptionMessage | undefined;
}

function concat(messages: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(messages.reduce((sum, message) => sum + message.length, 0));
  let offset = 0;
  for (const message of messages) {
    bytes.set(message, offset);
    offset += message.length;
  }
  return bytes;
}

export function createPgliteStatements(pglite: PGlite) {
  const { serialize } = protocol;
  const prepared = new Map<string, Prepared>();

  // Under PGlite's own locks, as its query() is: never inside another caller's transaction.
  const exclusive = <T>(fn: () => Promise<T>) =>
    pglite._runExclusiveTransaction(() => pglite._runExclusiveQuery(fn));

  async function prepare(statement: Statement): Promise<Prepared> {
    const messages = await pglite.execProtocolStream(
      concat([
        serialize.parse({ name: statement.name, text: statement.text }),
        serialize.describe({ type: "S", name: statement.name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const parameters = messages.find(
      (message): message is messages.ParameterDescriptionMessage =>
        message.name === "parameterDescription",
    );
    const found: Prepared = {
      parameterTypes: parameters?.dataTypeIDs ?? [],
      rowDescription: messages.find(
        (message): message is messages.RowDescriptionMessage => message.name === "rowDescription",
      ),
    };
    prepared.set(statement.name, found);
    return found;
  }

  return {
    query<Row>(statement: Statement, values: unknown[]): Promise<Row[]> {
      // PGlite's query() refuses a closed database; its protocol calls fail inside WebAssembly
      // with a TypeError, which would be a 500 rather than DATABASE_UNAVAILABLE.
      if (pglite.closed) return Promise.reject(new Error("PGlite is closed"));
      return exclusive(async () => {
        const { parameterTypes, rowDescription } =
          prepared.get(statement.name) ?? (await prepare(statement));
        // The same text forms as PGlite's query() sends (its serializers, by parameter type).
        const texts = values.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = pglite.serializers[parameterTypes[i]!];
          return serializer ? serializer(value) : String(value);
        });
        const messages = await pglite.execProtocolStream(
          concat([
            serialize.bind({ statement: statement.name, values: texts }),
            serialize.execute({}),
            serialize.sync(),
          ]),
        );
        const described = rowDescription ? [rowDescription, ...messages] : messages;
        return parse.parseResults(described, pglite.parsers)[0]!.rows as Row[];
      });
    },
  };
}
