// Opening the configured database for a command, with configuration errors as messages.
import { loadConfig, ConfigError, type Config } from "../config.ts";
import { openDatabase, type Database } from "../progress/database.ts";
import type { CliIo } from "./io.ts";

export async function withConfiguredDatabase(
  io: CliIo,
  fn: (db: Database, config: Config) => Promise<number>,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`packetlab: ${error.message}\n`);
    return 1;
  }
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    return await fn(db, config);
  } catch (error) {
    io.err(`packetlab: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}
