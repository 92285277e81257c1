// Where a command reads and writes, so tests can run commands without a child process.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input, as bytes. */
  readStdin(): Promise<Uint8Array>;
  /** True when standard input is a terminal (nothing piped in). */
  stdinIsTerminal: boolean;
  /** Colour the output: standard output is a terminal and NO_COLOR is unset. */
  colour?: boolean;
}

// A reader that stops early (`packetlab dissect … | head`) closes the pipe: that is not an
// error of ours, so end quietly as other Unix tools do instead of dying on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  },
  stdinIsTerminal: Boolean(process.stdin.isTTY),
  // https://no-color.org: any non-empty NO_COLOR turns colours off.
  colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};
