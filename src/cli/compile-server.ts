// `packetlab compile-server`: the Rust compiler as a service of its own (src/compile/server.ts),
// for deployments where the API's container may not create namespaces (Docker's default seccomp
// profile). It reads only the RUST_* variables, HOST, COMPILER_PORT and MAX_CODE_BYTES.
import { ConfigError, loadConfig } from "../config.ts";
import type { CliIo } from "./io.ts";

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes("--help")) {
    io.out(
      "usage: packetlab compile-server\n\nCompiles Rust for the API (POST /v1/compile) on HOST:COMPILER_PORT; the API points RUST_COMPILER_URL at it.\n",
    );
    return 0;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`packetlab: ${error.message}\n`);
    return 1;
  }
  const { rustCompilerFromConfig } = await import("../compile/from-config.ts");
  const { createCompileServer } = await import("../compile/server.ts");
  const compiler = rustCompilerFromConfig({ ...config, RUST_ENABLED: "true" });
  if (!compiler) return 1;
  try {
    await compiler.warm();
  } catch (error) {
    io.err(`packetlab compile-server: the toolchain does not work: ${(error as Error).message}\n`);
    return 1;
  }
  const server = createCompileServer(compiler, {
    maxSourceBytes: config.MAX_CODE_BYTES,
    token: config.RUST_COMPILER_TOKEN,
  });
  await new Promise<void>((resolve) => server.listen(config.COMPILER_PORT, config.HOST, resolve));
  io.out(`packetlab compile-server on ${config.HOST}:${config.COMPILER_PORT}\n`);
  return new Promise<number>((done) => {
    const stop = () => {
      server.close(() => {
        void compiler.close().then(() => done(0));
      });
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}
