// `packetlab create-teacher --name "…"`: creates a teacher and prints their bearer token, the
// way to bootstrap a deployment without an OPERATOR_TOKEN.
import { parseArgs } from "node:util";
import { migrate } from "../progress/migrate.ts";
import { createStore } from "../progress/store.ts";
import { withConfiguredDatabase } from "./database.ts";
import type { CliIo } from "./io.ts";

const USAGE =
  'usage: packetlab create-teacher --name "Ada Lovelace"\n\nPrints the new teacher\'s bearer token (shown once; only its hash is stored).\n';

export async function run(args: string[], io: CliIo): Promise<number> {
  let name: string | undefined;
  try {
    const parsed = parseArgs({
      args,
      options: { name: { type: "string" }, help: { type: "boolean" } },
    });
    if (parsed.values.help) {
      io.out(USAGE);
      return 0;
    }
    name = parsed.values.name?.trim();
  } catch (error) {
    io.err(`packetlab create-teacher: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!name || name.length > 200) {
    io.err(`packetlab create-teacher: --name is required (1 to 200 characters)\n${USAGE}`);
    return 2;
  }
  const teacherName = name;
  return withConfiguredDatabase(io, async (db) => {
    await migrate(db);
    const teacher = await createStore(db).accounts.createTeacher(teacherName);
    io.out(`Teacher ${teacher.name} (${teacher.id})\nToken: ${teacher.token}\n`);
    return 0;
  });
}
