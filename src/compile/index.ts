// Turning untrusted source into something the runner can run, behind a sandbox boundary.
export { createRustCompiler, type RustCompiler, type CompileResult } from "./rust.ts";
export { CompilerBusyError } from "./pool.ts";
export { checkModule } from "./wasm-module.ts";
export { ALLOWED_IMPORTS, HOST_MODULE, WASI_MODULE } from "./imports.ts";
