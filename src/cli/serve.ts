// `packetlab serve` (and `npm start`): runs the service until SIGTERM/SIGINT.
import { ConfigError } from "../config.ts";
import { MigrationError } from "../progress/migrate.ts";
import type { CliIo } from "./io.ts";

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes("--help")) {
    io.out(
      "usage: packetlab serve\n\nRuns the HTTP/WebSocket service; configure it with environment variables (`packetlab config --markdown`).\n",
    );
    return 0;
  }
  const { serveUntilSignalled } = await import("../server.ts");
  try {
    return await serveUntilSignalled();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MigrationError) {
      io.err(`packetlab: ${error.message}\n`);
      return 1;
    }
    io.err(`packetlab: could not start: ${(error as Error).message}\n`);
    return 1;
  }
}
