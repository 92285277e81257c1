// What a learner's Rust program can call, for the editor's completion: read from packetlab's own
// `std` facade (sandbox/rust/std.rs, the file rustc links learner code against), so a socket
// method added there is offered without touching the app; plus the parts of the real standard
// library that the facade re-exports and the lessons use (addresses, Duration, io's traits),
// which rustc's std defines, not this project. test/web/rust-api.test.ts fails when either
// drifts: a `pub fn` of the facade not offered, or a `Type::function` of a lesson not known.

export type RustItemKind = "module" | "type" | "function" | "method" | "constant" | "variant";

export interface RustItem {
  name: string;
  kind: RustItemKind;
  /** The module it is in (net, fs, time, io), for `std::net::` and `use std::net::{…}`. */
  module: string;
  /** The type (or trait) it belongs to; absent for a module's own items. */
  owner?: string;
  /** As declared, without `pub`: `fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket>`. */
  signature: string;
  doc: string;
}

export interface RustApi {
  items: RustItem[];
  /** Traits a type implements (`impl io::Read for TcpStream`): their methods apply to it. */
  traits: Record<string, string[]>;
}

interface Scope {
  kind: "module" | "impl" | "private" | "other";
  name: string;
}

const STRINGS = /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])'|\/\/.*$/g;

/** Reads the facade's public modules, types and functions, with their `///` docs. */
export function readRustFacade(source: string): RustApi {
  const items: RustItem[] = [];
  const traits: Record<string, string[]> = {};
  const scopes: Scope[] = [];
  let doc: string[] = [];
  const lines = source.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const trimmed = line.trim();
    const docLine = /^\/\/\/\s?(.*)$/.exec(trimmed);
    if (docLine) {
      doc.push(docLine[1]!);
      continue;
    }
    const visible = scopes.every((scope) => scope.kind !== "private");
    const top = scopes.at(-1);
    const module = [...scopes].reverse().find((scope) => scope.kind === "module")?.name ?? "";
    let opened: Scope = { kind: "other", name: "" };
    const mod = /^(pub\s+)?mod\s+(\w+)\s*\{/.exec(trimmed);
    const impl = /^impl(?:<[^>]*>)?\s+(?:([\w:]+)(?:<[^>]*>)?\s+for\s+&?)?(\w+)/.exec(trimmed);
    const type = /^pub\s+(struct|enum|trait)\s+(\w+)/.exec(trimmed);
    const fn = /^pub\s+fn\s+(\w+)/.exec(trimmed);
    if (mod) opened = { kind: mod[1] ? "module" : "private", name: mod[2]! };
    else if (impl) {
      const [, trait, name] = impl as unknown as [string, string | undefined, string];
      if (trait) {
        const list = (traits[name] ??= []);
        if (!list.includes(trait)) list.push(trait);
        opened = { kind: "other", name };
      } else opened = { kind: "impl", name };
    } else if (visible && type && top?.kind === "module") {
      items.push({
        name: type[2]!,
        kind: "type",
        module,
        signature: `${type[1]} ${type[2]}`,
        doc: doc.join(" "),
      });
    } else if (visible && fn && (top?.kind === "module" || top?.kind === "impl")) {
      // A signature may run over lines: up to the body's `{` (or `;`).
      let signature = trimmed;
      for (let next = index + 1; !/[{;]\s*$/.test(signature) && next < lines.length; next++) {
        signature += ` ${lines[next]!.trim()}`;
      }
      signature = signature
        .replace(/^pub\s+/, "")
        // The facade's name for the real std: a learner writes `Vec`, not `real::vec::Vec`.
        .replace(/\breal::(?:\w+::)*/g, "")
        .replace(/\s*[{;]\s*$/, "")
        .replace(/\(\s+/g, "(")
        .replace(/,?\s+\)/g, ")");
      const self = /\(\s*&?(?:mut\s+)?self\b/.test(signature);
      items.push({
        name: fn[1]!,
        kind: top.kind === "impl" ? (self ? "method" : "function") : "function",
        module,
        ...(top.kind === "impl" ? { owner: top.name } : {}),
        signature,
        doc: doc.join(" "),
      });
    }
    if (!trimmed.startsWith("#[")) doc = [];
    for (const char of line.replace(STRINGS, "")) {
      if (char === "{") {
        scopes.push(opened);
        opened = { kind: "other", name: "" };
      } else if (char === "}") scopes.pop();
    }
  }
  return { items, traits };
}

const item = (
  module: string,
  owner: string | undefined,
  kind: RustItemKind,
  signature: string,
  doc = "",
): RustItem => ({
  name: (/(?:fn|struct|enum|trait|mod|type)\s+(\w+)/.exec(signature) ??
    /const\s+(\w+)/.exec(signature) ??
    /^(\w+)/.exec(signature))![1]!,
  kind,
  module,
  ...(owner ? { owner } : {}),
  signature,
  doc,
});

/**
 * The real standard library's part that the facade re-exports (`pub use real::net::*`) or that
 * the lessons lean on: these are rustc's std, stable for years, and the lessons' own calls are
 * checked against this list by the test.
 */
export const REAL_STD: RustItem[] = [
  item("", undefined, "module", "mod net", "Sockets and addresses of the simulated network."),
  item("", undefined, "module", "mod fs", "The lesson's files (read, read_to_string)."),
  item("", undefined, "module", "mod time", "Duration, for read timeouts."),
  item("", undefined, "module", "mod io", "Result, Error, ErrorKind, Read and Write."),
  item("net", undefined, "type", "struct Ipv4Addr", "An IPv4 address."),
  item("net", "Ipv4Addr", "function", "const fn new(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr"),
  item("net", "Ipv4Addr", "constant", "const UNSPECIFIED: Ipv4Addr", "0.0.0.0"),
  item("net", "Ipv4Addr", "constant", "const LOCALHOST: Ipv4Addr", "127.0.0.1"),
  item("net", "Ipv4Addr", "method", "const fn octets(&self) -> [u8; 4]"),
  item("net", "Ipv4Addr", "method", "const fn is_loopback(&self) -> bool"),
  item("net", undefined, "type", "struct SocketAddrV4", "An IPv4 address and a port."),
  item("net", "SocketAddrV4", "function", "const fn new(ip: Ipv4Addr, port: u16) -> SocketAddrV4"),
  item("net", "SocketAddrV4", "method", "const fn ip(&self) -> &Ipv4Addr"),
  item("net", "SocketAddrV4", "method", "const fn port(&self) -> u16"),
  item("net", undefined, "type", "enum SocketAddr", "A socket address, V4 or V6."),
  item("net", "SocketAddr", "variant", "V4(SocketAddrV4)"),
  item("net", "SocketAddr", "method", "const fn ip(&self) -> IpAddr"),
  item("net", "SocketAddr", "method", "const fn port(&self) -> u16"),
  item("net", undefined, "type", "enum Shutdown", "Which half of a TCP stream to shut down."),
  item("net", "Shutdown", "variant", "Read"),
  item("net", "Shutdown", "variant", "Write"),
  item("net", "Shutdown", "variant", "Both"),
  item("net", undefined, "type", "trait ToSocketAddrs", 'An address, or text like "10.0.0.53:53".'),
  item("time", undefined, "type", "struct Duration", "A span of (virtual) time."),
  item("time", "Duration", "function", "const fn from_secs(secs: u64) -> Duration"),
  item("time", "Duration", "function", "const fn from_millis(millis: u64) -> Duration"),
  item("time", "Duration", "constant", "const ZERO: Duration"),
  item("time", "Duration", "method", "const fn as_millis(&self) -> u128"),
  item("time", "Duration", "method", "const fn as_secs(&self) -> u64"),
  item("io", undefined, "type", "type Result<T> = Result<T, Error>"),
  item("io", undefined, "type", "struct Error", "An I/O failure; its kind() says which."),
  item("io", "Error", "method", "fn kind(&self) -> ErrorKind"),
  item("io", undefined, "type", "enum ErrorKind", "The kind of an I/O failure."),
  ...["WouldBlock", "TimedOut", "ConnectionRefused", "ConnectionReset", "AddrInUse"].map((name) =>
    item("io", "ErrorKind", "variant", name),
  ),
  item("io", undefined, "type", "trait Read"),
  item("io", "io::Read", "method", "fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>"),
  item(
    "io",
    "io::Read",
    "method",
    "fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize>",
  ),
  item(
    "io",
    "io::Read",
    "method",
    "fn read_to_string(&mut self, buf: &mut String) -> io::Result<usize>",
  ),
  item("io", "io::Read", "method", "fn read_exact(&mut self, buf: &mut [u8]) -> io::Result<()>"),
  item("io", undefined, "type", "trait Write"),
  item("io", "io::Write", "method", "fn write(&mut self, buf: &[u8]) -> io::Result<usize>"),
  item("io", "io::Write", "method", "fn write_all(&mut self, buf: &[u8]) -> io::Result<()>"),
  item("io", "io::Write", "method", "fn flush(&mut self) -> io::Result<()>"),
  item("", "Iterator", "method", "fn next(&mut self) -> Option<Self::Item>"),
  item("", undefined, "type", "struct Vec<T>"),
  item("", "Vec", "function", "const fn new() -> Vec<T>"),
  item("", "Vec", "function", "fn with_capacity(capacity: usize) -> Vec<T>"),
  item("", undefined, "type", "struct String"),
  item("", "String", "function", "const fn new() -> String"),
  item("", "String", "function", "fn from_utf8(vec: Vec<u8>) -> Result<String, FromUtf8Error>"),
  item("", "String", "function", "fn from_utf8_lossy(v: &[u8]) -> Cow<'_, str>"),
];

/** Rust 2021's keywords, and the macros a lesson's program prints and fails with. */
export const RUST_KEYWORDS = (
  "as async await break const continue crate dyn else enum extern false fn for if impl in let " +
  "loop match mod move mut pub ref return self Self static struct super trait true type unsafe " +
  "use where while"
).split(" ");
export const RUST_MACROS = "println print eprintln format panic vec assert assert_eq write".split(
  " ",
);

/** The facade's items and the real std's, the facade's first where both name one. */
export function rustApi(facadeSource: string): RustApi {
  const facade = readRustFacade(facadeSource);
  const key = (i: RustItem) => `${i.module}/${i.owner ?? ""}/${i.name}`;
  const seen = new Set(facade.items.map(key));
  return {
    items: [...facade.items, ...REAL_STD.filter((i) => !seen.has(key(i)))],
    traits: facade.traits,
  };
}
