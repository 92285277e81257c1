// `packetlab config`: the configuration the service would start with, or its reference table.
import { ConfigError, configMarkdown, loadConfig } from "../config.ts";
import type { CliIo } from "./io.ts";

const SECRETS = new Set(["DATABASE_URL", "OPERATOR_TOKEN"]);

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes("--help")) {
    io.out(
      "usage: packetlab config [--markdown]\n\n  --markdown  print the configuration reference table (README.md)\n",
    );
    return 0;
  }
  if (args.includes("--markdown")) {
    io.out(configMarkdown());
    return 0;
  }
  try {
    const config = loadConfig();
    for (const [name, value] of Object.entries(config)) {
      const shown = SECRETS.has(name) && value !== undefined ? "(set)" : JSON.stringify(value);
      io.out(`${name}=${shown}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`packetlab: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
