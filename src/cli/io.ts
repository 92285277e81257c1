// Where a command reads and writes, so tests can run commands without a child process.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input, as bytes. */
  readStdin(): Promise<Uint8Array>;
  /** True when standard input is a terminal (nothing piped in). */
  stdinIsTerminal: boolean;
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
};
