import type { CliIo } from "../../src/cli/io.ts";

/** Runs the CLI in-process and collects what it prints. */
export function captureIo(stdin = ""): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    readStdin: async () => new TextEncoder().encode(stdin),
    stdinIsTerminal: stdin === "",
  };
  return io;
}
