// Runs a learner's compiled Rust (wasm32-wasi) inside the isolate. The module gets two import
// modules and nothing else: a WASI subset (console output, exit, clocks on the network's
// virtual time, arguments and environment that are empty, seeded randomness; every other call
// answers "not supported"), and "packetlab", the sockets and files of sandbox/rust/std.rs, which
// go through the same host calls as the JavaScript facade. src/compile checked before the run
// that the module imports nothing else and caps its own memory (linear memory is outside the
// isolate's heap limit).
//
// WebAssembly is captured here, while the bundle loads, before hardenGlobals() deletes it from
// the global object: learner JavaScript never sees it; only this function, which the runner
// calls for Rust runs and which is deleted with the API global before JavaScript would run.
import { decodeUtf8, encodeUtf8 } from "./bytes.ts";
import { IoError } from "./errors.ts";
import { callHost } from "./host.ts";
import {
  ArrayBufferCtor,
  NumberIsInteger,
  TypedArrayLength,
  TypedArraySet,
  Uint8ArrayCtor,
} from "./primordials.ts";
import { MAX_IPV4_PACKET, MAX_TCP_WRITE, MAX_UDP_PAYLOAD, Op } from "./protocol.ts";

interface WasmNamespace {
  Module: new (bytes: ArrayBuffer) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
const WasmModule = Wasm.Module;
const WasmInstance = Wasm.Instance;
const DataViewCtor = DataView;
const BigIntCtor = BigInt;
const NumberCtor = Number;

// WASI errno values (wasi_snapshot_preview1).
const SUCCESS = 0;
const EBADF = 8;
const ENOSYS = 52;

/** A line longer than this is passed on as it is (the host's output cap bounds the rest). */
const MAX_LINE_BYTES = 1 << 16;

/** Thrown by proc_exit through the module's frames; nothing in wasm can catch it. */
class Exit {
  constructor(readonly code: number) {}
}

export interface WasmEnd {
  /** The code the program exited with (0 when main returned Ok). */
  exitCode: number;
}

export function runWasm(wire: ArrayBuffer, settings: { epochMs: number; seed: number }): number {
  if (!(wire instanceof ArrayBufferCtor)) throw new TypeError("runWasm needs the module's bytes");
  let memory: { buffer: ArrayBuffer } | null = null;
  let lastError = "";
  // Seeded randomness (HashMap's keys come from it): the same run replays the same way.
  let random = (settings.seed >>> 0) ^ 0x9e3779b9 || 1;

  const bytes = (): Uint8Array => new Uint8ArrayCtor(memory!.buffer);
  const view = (): DataView => new DataViewCtor(memory!.buffer);

  /** A region of linear memory the program named; out of bounds is its mistake. */
  function region(pointer: number, length: number): Uint8Array {
    const size = memory!.buffer.byteLength;
    // Imports declared by the program with other signatures may pass anything (undefined, BigInt).
    if (typeof pointer !== "number" || typeof length !== "number") {
      throw new RangeError("the program passed a pointer outside its memory");
    }
    if (pointer < 0 || length < 0 || pointer + length > size) {
      throw new RangeError("the program passed a pointer outside its memory");
    }
    return new Uint8ArrayCtor(memory!.buffer, pointer, length);
  }
  function copyOut(pointer: number, length: number): Uint8Array {
    const copy = new Uint8ArrayCtor(length);
    TypedArraySet(copy, region(pointer, length), 0);
    return copy;
  }
  function text(pointer: number, length: number): string {
    return decodeUtf8(copyOut(pointer, length));
  }
  function ipText(ip: number): string {
    return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
  }
  function writeAddress(pointer: number, address: string, port: number): void {
    const out = region(pointer, 6);
    const parts = address.split(".");
    for (let i = 0; i < 4; i++) out[i] = NumberCtor(parts[i]) & 255;
    out[4] = (port >>> 8) & 255;
    out[5] = port & 255;
  }

  /** Connects (timeout in µs, null: the default); writes local then peer address; the stream id. */
  function tcpConnect(ip: number, port: number, timeout: number | null, addresses: number): number {
    region(addresses, 12);
    const reply = callHost(runWasm, Op.tcpConnect, ipText(ip), port, timeout) as [
      number,
      string,
      number,
      string,
      number,
    ];
    writeAddress(addresses, reply[1], reply[2]);
    writeAddress(addresses + 6, reply[3], reply[4]);
    return reply[0];
  }

  /** A host call whose refusal becomes -1 and a last_error the facade turns into io::Error. */
  function guarded(call: () => number): number {
    try {
      return call();
    } catch (error) {
      if (error instanceof IoError) {
        lastError = `${error.kind}\n${error.message}`;
        return -1;
      }
      throw error;
    }
  }

  // Console output, line by line as the host records it; bytes are kept until a newline so a
  // character split across two writes decodes whole.
  const pending: [number[], number[]] = [[], []];
  function flushLine(stream: 0 | 1): void {
    const line = pending[stream];
    pending[stream] = [];
    callHost(runWasm, Op.output, stream, decodeUtf8(new Uint8ArrayCtor(line)));
  }
  function write(stream: 0 | 1, data: Uint8Array): void {
    const n = TypedArrayLength(data);
    for (let i = 0; i < n; i++) {
      const b = data[i]!;
      if (b === 10) flushLine(stream);
      else {
        const line = pending[stream];
        line[line.length] = b;
        if (line.length >= MAX_LINE_BYTES) flushLine(stream);
      }
    }
  }
  function flushAll(): void {
    if (pending[0].length > 0) flushLine(0);
    if (pending[1].length > 0) flushLine(1);
  }

  const wasi = {
    fd_write(fd: number, iovs: number, count: number, written: number): number {
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view();
      let total = 0;
      for (let i = 0; i < count; i++) {
        const pointer = v.getUint32(iovs + i * 8, true);
        const length = v.getUint32(iovs + i * 8 + 4, true);
        write(fd === 2 ? 1 : 0, copyOut(pointer, length));
        total += length;
      }
      view().setUint32(written, total, true);
      return SUCCESS;
    },
    fd_read(fd: number, _iovs: number, _count: number, read: number): number {
      if (fd !== 0) return EBADF;
      view().setUint32(read, 0, true); // stdin is empty
      return SUCCESS;
    },
    fd_close: (): number => EBADF,
    fd_seek: (): number => EBADF,
    fd_fdstat_get(fd: number, out: number): number {
      if (fd > 2) return EBADF;
      region(out, 24).fill(0);
      bytes()[out] = 2; // a character device
      return SUCCESS;
    },
    // No preopened directories: the program has no file system.
    fd_prestat_get: (): number => EBADF,
    fd_prestat_dir_name: (): number => EBADF,
    proc_exit(code: number): never {
      throw new Exit(code);
    },
    environ_sizes_get(count: number, size: number): number {
      view().setUint32(count, 0, true);
      view().setUint32(size, 0, true);
      return SUCCESS;
    },
    environ_get: (): number => SUCCESS,
    args_sizes_get(count: number, size: number): number {
      view().setUint32(count, 1, true);
      view().setUint32(size, 5, true);
      return SUCCESS;
    },
    args_get(argv: number, buffer: number): number {
      view().setUint32(argv, buffer, true);
      TypedArraySet(region(buffer, 5), [109, 97, 105, 110, 0], 0); // "main\0"
      return SUCCESS;
    },
    random_get(pointer: number, length: number): number {
      const out = region(pointer, length);
      for (let i = 0; i < length; i++) {
        // xorshift32: reproducible, and nothing a learner could learn about the host from.
        random ^= random << 13;
        random ^= random >>> 17;
        random ^= random << 5;
        out[i] = random & 255;
      }
      return SUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, out: number): number {
      const nowUs = callHost(runWasm, Op.now) as number;
      // Realtime is the same 2024-01-01 epoch JavaScript's Date reads; the others start at 0.
      const ns =
        BigIntCtor(nowUs) * 1000n + (id === 0 ? BigIntCtor(settings.epochMs) * 1_000_000n : 0n);
      view().setBigUint64(out, ns, true);
      return SUCCESS;
    },
    clock_res_get(_id: number, out: number): number {
      view().setBigUint64(out, 1000n, true);
      return SUCCESS;
    },
    sched_yield: (): number => SUCCESS,
    // thread::sleep: there is no real time to wait in; the network runs in virtual time only.
    poll_oneoff: (): number => ENOSYS,
  };

  const packetlab = {
    udp_bind: (ip: number, port: number, bound: number): number =>
      guarded(() => {
        const reply = callHost(runWasm, Op.bind, ipText(ip), port) as [number, string, number];
        writeAddress(bound, reply[1], reply[2]);
        return reply[0];
      }),
    udp_send_to: (id: number, data: number, length: number, ip: number, port: number): number =>
      guarded(() => {
        if (length > MAX_UDP_PAYLOAD) {
          throw new IoError("InvalidInput", `a UDP payload is at most ${MAX_UDP_PAYLOAD} bytes`);
        }
        return callHost(runWasm, Op.sendTo, id, copyOut(data, length), ipText(ip), port) as number;
      }),
    udp_recv_from: (
      id: number,
      buffer: number,
      capacity: number,
      timeoutUs: bigint,
      from: number,
    ) =>
      guarded(() => {
        region(buffer, capacity);
        region(from, 6);
        const timeout = timeoutUs < 0n ? null : NumberCtor(timeoutUs);
        const reply = callHost(runWasm, Op.recvFrom, id, timeout) as [Uint8Array, string, number];
        const payload = reply[0];
        const n = TypedArrayLength(payload) < capacity ? TypedArrayLength(payload) : capacity;
        // Memory is read again after the host call: a buffer taken before could be stale.
        TypedArraySet(
          region(buffer, n),
          n === TypedArrayLength(payload) ? payload : payload.subarray(0, n),
          0,
        );
        writeAddress(from, reply[1], reply[2]);
        return n;
      }),
    udp_close(id: number): void {
      guarded(() => {
        callHost(runWasm, Op.close, id);
        return 0;
      });
    },
    send_packet: (data: number, length: number): number =>
      guarded(() => {
        if (length > MAX_IPV4_PACKET) {
          throw new IoError("InvalidInput", `a packet is at most ${MAX_IPV4_PACKET} bytes`);
        }
        callHost(runWasm, Op.sendRaw, copyOut(data, length));
        return 0;
      }),
    file_size: (name: number, length: number): bigint => {
      const n = guarded(() => {
        const file = readFile(text(name, length));
        return TypedArrayLength(file);
      });
      return BigIntCtor(n);
    },
    read_file: (name: number, length: number, out: number, capacity: number): number =>
      guarded(() => {
        const file = readFile(text(name, length));
        const n = TypedArrayLength(file) < capacity ? TypedArrayLength(file) : capacity;
        TypedArraySet(region(out, n), file.subarray(0, n), 0);
        return n;
      }),
    tcp_connect: (ip: number, port: number, addresses: number): number =>
      guarded(() => tcpConnect(ip, port, null, addresses)),
    tcp_write: (id: number, data: number, length: number): number =>
      guarded(() => {
        if (length > MAX_TCP_WRITE) {
          throw new IoError("InvalidInput", `one write is at most ${MAX_TCP_WRITE} bytes`);
        }
        return callHost(runWasm, Op.tcpWrite, id, copyOut(data, length)) as number;
      }),
    tcp_read: (id: number, buffer: number, capacity: number, timeoutUs: bigint): number =>
      guarded(() => {
        region(buffer, capacity);
        const timeout = timeoutUs < 0n ? null : NumberCtor(timeoutUs);
        const data = callHost(runWasm, Op.tcpRead, id, capacity, timeout) as Uint8Array;
        const n = TypedArrayLength(data) < capacity ? TypedArrayLength(data) : capacity;
        TypedArraySet(region(buffer, n), data.subarray(0, n), 0);
        return n;
      }),
    tcp_shutdown: (id: number, how: number): number =>
      guarded(() => {
        callHost(runWasm, Op.tcpShutdown, id, how === 0 ? "read" : how === 1 ? "write" : "both");
        return 0;
      }),
    tcp_close(id: number): void {
      guarded(() => {
        callHost(runWasm, Op.tcpClose, id);
        return 0;
      });
    },
    tcp_connect_timeout: (ip: number, port: number, timeoutUs: bigint, addresses: number): number =>
      // A timeout below 1 µs cannot be waited for; Rust refuses a zero Duration before this.
      guarded(() => tcpConnect(ip, port, timeoutUs < 1n ? 1 : NumberCtor(timeoutUs), addresses)),
    tcp_listen: (ip: number, port: number, bound: number): number =>
      guarded(() => {
        region(bound, 6);
        const reply = callHost(runWasm, Op.tcpListen, ipText(ip), port) as [number, string, number];
        writeAddress(bound, reply[1], reply[2]);
        return reply[0];
      }),
    tcp_accept: (id: number, addresses: number): number =>
      guarded(() => {
        region(addresses, 12);
        const reply = callHost(runWasm, Op.tcpAccept, id, null) as [
          number,
          string,
          number,
          string,
          number,
        ];
        writeAddress(addresses, reply[1], reply[2]);
        writeAddress(addresses + 6, reply[3], reply[4]);
        return reply[0];
      }),
    receive_packet: (timeoutUs: bigint, buffer: number, capacity: number): number =>
      guarded(() => {
        region(buffer, capacity);
        const timeout = timeoutUs < 0n ? null : NumberCtor(timeoutUs);
        const packet = callHost(runWasm, Op.receivePacket, timeout) as Uint8Array;
        const n = TypedArrayLength(packet) < capacity ? TypedArrayLength(packet) : capacity;
        TypedArraySet(region(buffer, n), packet.subarray(0, n), 0);
        return n;
      }),
    last_error(out: number, capacity: number): number {
      const encoded = encodeUtf8(lastError);
      const n = TypedArrayLength(encoded) < capacity ? TypedArrayLength(encoded) : capacity;
      TypedArraySet(region(out, n), encoded.subarray(0, n), 0);
      return n;
    },
  };

  function readFile(name: string): Uint8Array {
    const file = callHost(runWasm, Op.readFile, name) as Uint8Array | null;
    if (file === null) {
      throw new IoError(
        "NotFound",
        `no file named "${name}": the lesson's files are listed in its instructions`,
      );
    }
    return file;
  }

  const module = new WasmModule(wire);
  const instance = new WasmInstance(module, {
    wasi_snapshot_preview1: wasi,
    packetlab,
  });
  memory = instance.exports.memory as { buffer: ArrayBuffer };
  const start = instance.exports._start;
  if (typeof start !== "function") throw new TypeError("the module has no _start");
  try {
    (start as () => void)();
    return 0;
  } catch (thrown) {
    if (thrown instanceof Exit) return NumberIsInteger(thrown.code) ? thrown.code : 1;
    throw thrown;
  } finally {
    flushAll();
  }
}
