// The Rust compiler as the service configures it (RUST_* variables, src/config.ts).
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config.ts";
import { createRemoteCompiler } from "./remote.ts";
import { createRustCompiler, type RustCompiler } from "./rust.ts";

/** What the service needs of a compiler, here or behind RUST_COMPILER_URL. */
export type Compiler = Pick<RustCompiler, "compile" | "warm" | "close">;

export interface LocalOptions {
  /**
   * Keep compiled programs on disk for the next process, in `modules/` of the facade's cache
   * directory, up to RUST_CACHE_MB: the command line's choice (it compiles the same lessons run
   * after run). The service keeps them in memory only, and reads nothing from disk per request.
   */
  keepModules?: boolean;
}

/** The compiler service's client when RUST_COMPILER_URL is set, else the local compiler. */
export function compilerFromConfig(config: Config, local: LocalOptions = {}): Compiler | null {
  if (config.RUST_ENABLED === "false") return null;
  if (config.RUST_COMPILER_URL) {
    return createRemoteCompiler({
      url: config.RUST_COMPILER_URL,
      token: config.RUST_COMPILER_TOKEN,
      timeoutMs: config.RUST_COMPILE_WAIT_MS + config.RUST_COMPILE_WALL_MS + 5_000,
    });
  }
  return rustCompilerFromConfig(config, local);
}

/** The compiler, or null when Rust is off (RUST_ENABLED=false, or `auto` without a toolchain). */
export function rustCompilerFromConfig(
  config: Config,
  { keepModules = false }: LocalOptions = {},
): RustCompiler | null {
  if (config.RUST_ENABLED === "false") return null;
  const missing = [config.RUSTC, config.RUST_LINKER, config.BWRAP, config.PRLIMIT].filter(
    (path) => !existsSync(path),
  );
  if (missing.length > 0) {
    if (config.RUST_ENABLED === "auto") return null;
    throw new Error(`RUST_ENABLED=true but ${missing.join(", ")} does not exist`);
  }
  return createRustCompiler({
    toolchain: {
      rustc: config.RUSTC,
      linker: config.RUST_LINKER,
      target: config.RUST_TARGET,
      bwrap: config.BWRAP,
      prlimit: config.PRLIMIT,
      ...(config.RUST_SYSROOT ? { sysroot: config.RUST_SYSROOT } : {}),
    },
    limits: {
      cpuSeconds: config.RUST_COMPILE_CPU_SECONDS,
      memoryMb: config.RUST_COMPILE_MEMORY_MB,
      fileMb: 64,
      wallMs: config.RUST_COMPILE_WALL_MS,
    },
    pool: {
      concurrency: config.RUST_COMPILE_WORKERS,
      maxQueue: config.RUST_COMPILE_QUEUE,
      maxWaitMs: config.RUST_COMPILE_WAIT_MS,
    },
    maxMemoryMb: config.RUST_WASM_MEMORY_MB,
    cacheMb: config.RUST_CACHE_MB,
    ...caches(config.RUST_FACADE_CACHE_DIR || userCacheDir(), keepModules && config.RUST_CACHE_MB),
  });
}

function caches(dir: string | undefined, moduleCacheMb: number | false) {
  if (!dir) return {};
  if (!moduleCacheMb) return { facadeCacheDir: dir };
  const moduleCache = { dir: join(dir, "modules"), maxBytes: moduleCacheMb * 1024 * 1024 };
  return { facadeCacheDir: dir, moduleCache };
}

/**
 * The user's cache directory by the XDG convention: $XDG_CACHE_HOME, else ~/.cache; none for a
 * user without a home (an arbitrary UID in a container, no HOME), who then keeps no facade.
 */
function userCacheDir(): string | undefined {
  try {
    return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "packetlab");
  } catch {
    return undefined;
  }
}
