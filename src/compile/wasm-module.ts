// Checks a WebAssembly module before anyone runs it. Linear memory is outside isolated-vm's
// memoryLimit (a Rust program that allocated forever reached 4 GB under a 64 MB limit), so a
// module must define its own memory with a maximum no larger than the cap (rustc sets it with
// -C link-arg=--max-memory) and may import only functions the runner serves.
const WASM_PAGE = 65_536;
/**
 * A module's own size: a program with a large static (`[1u8; 50_000_000]`) fits its memory cap
 * yet makes a module that is cached, sent to a worker, copied into the isolate and compiled.
 */
export const MAX_MODULE_BYTES = 16 * 1024 * 1024;

export interface ModuleCheck {
  /** Each import the module asks for is one of these module → names. */
  allowedImports: Record<string, readonly string[]>;
  maxMemoryBytes: number;
}

export type ModuleVerdict = { ok: true } | { ok: false; reason: string };

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.offset >= this.bytes.length) throw new Error("the module ends early");
    return this.bytes[this.offset++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new Error("a number in the module is too long");
    }
  }
  name(): string {
    const length = this.u32();
    const start = this.offset;
    this.offset += length;
    if (this.offset > this.bytes.length) throw new Error("the module ends early");
    return new TextDecoder().decode(this.bytes.subarray(start, this.offset));
  }
  limits(): { min: number; max: number | null; shared: boolean } {
    const flags = this.byte();
    const min = this.u32();
    const max = flags & 1 ? this.u32() : null;
    return { min, max, shared: (flags & 2) !== 0 };
  }
}

export function checkModule(bytes: Uint8Array, check: ModuleCheck): ModuleVerdict {
  try {
    return inspect(bytes, check);
  } catch (error) {
    return { ok: false, reason: `not a valid module: ${(error as Error).message}` };
  }
}

function inspect(bytes: Uint8Array, check: ModuleCheck): ModuleVerdict {
  if (bytes.length > MAX_MODULE_BYTES) {
    const mb = (bytes.length / 2 ** 20).toFixed(1);
    return {
      ok: false,
      reason: `it is ${mb} MB, over ${MAX_MODULE_BYTES / 2 ** 20} MB (a large static?)`,
    };
  }
  const reader = new Reader(bytes);
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const expected of header) {
    if (reader.byte() !== expected) return { ok: false, reason: "not a WebAssembly module" };
  }
  let memories = 0;
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.u32();
    const end = reader.offset + size;
    if (end > bytes.length) throw new Error("a section runs past the end");
    if (id === 2) {
      const count = reader.u32();
      for (let i = 0; i < count; i++) {
        const module = reader.name();
        const name = reader.name();
        const kind = reader.byte();
        if (kind !== 0) {
          return { ok: false, reason: `it imports a ${importKind(kind)} (${module}.${name})` };
        }
        reader.u32();
        if (!check.allowedImports[module]?.includes(name)) {
          return { ok: false, reason: `it imports ${module}.${name}, which is not available here` };
        }
      }
    } else if (id === 5) {
      const count = reader.u32();
      for (let i = 0; i < count; i++) {
        const { max, shared } = reader.limits();
        memories++;
        if (shared) return { ok: false, reason: "its memory is shared" };
        if (max === null) return { ok: false, reason: "its memory has no maximum" };
        if (max * WASM_PAGE > check.maxMemoryBytes) {
          return {
            ok: false,
            reason: `its memory may grow to ${(max * WASM_PAGE) / 2 ** 20} MB, over ${check.maxMemoryBytes / 2 ** 20} MB`,
          };
        }
      }
    }
    reader.offset = end;
  }
  if (memories !== 1) return { ok: false, reason: "it does not define exactly one memory" };
  return { ok: true };
}

function importKind(kind: number): string {
  return ["function", "table", "memory", "global"][kind] ?? "thing";
}
