// The command line. Each subcommand lives in src/cli/<name>.ts and exports run(args, io).
import type { CliIo } from "./cli/io.ts";
import { processIo } from "./cli/io.ts";

interface Command {
  summary: string;
  load: () => Promise<{ run: (args: string[], io: CliIo) => Promise<number> }>;
}

// One line per subcommand; modules load lazily so `dissect` never pays for the server's imports.
const commands: Record<string, Command> = {
  lessons: {
    summary: "check the lessons (lessons check [DIR]) or list them",
    load: () => import("./cli/lessons.ts"),
  },
  serve: { summary: "run the HTTP/WebSocket service", load: () => import("./cli/serve.ts") },
  "compile-server": {
    summary: "run the Rust compiler service (for RUST_COMPILER_URL)",
    load: () => import("./cli/compile-server.ts"),
  },
  migrate: { summary: "apply pending database migrations", load: () => import("./cli/migrate.ts") },
  "create-teacher": {
    summary: "create a teacher and print their token",
    load: () => import("./cli/create-teacher.ts"),
  },
  lti: {
    summary: "register LMSs (LTI 1.3), list them, rotate the tool's keys",
    load: () => import("./cli/lti.ts"),
  },
  config: {
    summary: "show the configuration, or its reference (--markdown)",
    load: () => import("./cli/config.ts"),
  },
  dissect: {
    summary: "decode packets (hex or pcap) into header fields",
    load: () => import("./cli/dissect.ts"),
  },
  run: {
    summary: "run a program in the sandbox against the lesson network",
    load: () => import("./cli/run.ts"),
  },
};

function usage(io: CliIo): void {
  io.out("usage: packetlab <command> [options]\n\ncommands:\n");
  for (const [name, command] of Object.entries(commands)) {
    io.out(`  ${name.padEnd(16)}${command.summary}\n`);
  }
  io.out("\nRun `packetlab <command> --help` for a command's options.\n");
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    usage(io);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`packetlab: unknown command "${name}"\n`);
    usage(io);
    return 2;
  }
  const module = await command.load();
  return module.run(rest, io);
}
