// `packetlab migrate`: applies prisma/migrations to the configured database (the server also
// does this at start-up; this lets a deployment migrate before rolling out replicas).
import { migrate } from "../progress/migrate.ts";
import { withConfiguredDatabase } from "./database.ts";
import type { CliIo } from "./io.ts";

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes("--help")) {
    io.out(
      "usage: packetlab migrate\n\nApplies pending database migrations (DATABASE_URL, else the embedded database in DATA_DIR).\n",
    );
    return 0;
  }
  return withConfiguredDatabase(io, async (db) => {
    const applied = await migrate(db);
    io.out(
      applied.length === 0 ? "The database is up to date.\n" : `Applied: ${applied.join(", ")}\n`,
    );
    return 0;
  });
}
