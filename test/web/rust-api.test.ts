// The Rust editor's completion data (web/src/playground/rust-api.ts) against what it describes:
// every public function of packetlab's `std` facade (sandbox/rust/std.rs, what rustc links
// learner code against) is offered with its signature, and every `Type::function` the lessons'
// Rust programs call is known. A facade function added, or a lesson calling something new,
// fails here until the completion has it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { readRustFacade, rustApi } from "../../web/src/playground/rust-api.ts";
import { rustCompletionSource } from "../../web/src/playground/rust-completions.ts";

const root = new URL("../..", import.meta.url).pathname;
const facade = readFileSync(join(root, "sandbox", "rust", "std.rs"), "utf8");
const api = rustApi(facade);
const lessonPrograms = readdirSync(join(root, "lessons"), { recursive: true, encoding: "utf8" })
  .filter((path) => path.endsWith(".rs"))
  .map((path) => readFileSync(join(root, "lessons", path), "utf8"));

describe("the Rust completion data", () => {
  it("has every public function of the facade's public modules, with its signature", () => {
    // Found independently of the parser: each `pub fn` outside the private `mod host`.
    const outsideHost = facade.replace(/mod host \{[\s\S]*?\n\}\n/, "");
    const declared = [...outsideHost.matchAll(/^\s*pub fn (\w+)/gm)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(20);
    const offered = readRustFacade(facade).items.filter((i) => i.kind !== "type");
    expect(offered.map((i) => i.name)).toEqual(declared);
    expect(api.items).toContainEqual(
      expect.objectContaining({
        name: "send_to",
        kind: "method",
        module: "net",
        owner: "UdpSocket",
        signature: "fn send_to<A: ToSocketAddrs>(&self, buf: &[u8], addr: A) -> io::Result<usize>",
      }),
    );
    expect(api.items).toContainEqual(
      expect.objectContaining({
        name: "receive_packet",
        kind: "function",
        module: "net",
        signature: "fn receive_packet(timeout: Option<Duration>) -> io::Result<Vec<u8>>",
        doc: expect.stringMatching(/^The next IPv4 packet/),
      }),
    );
    expect(api.traits.TcpStream).toEqual(expect.arrayContaining(["io::Read", "io::Write"]));
  });

  it("knows every Type::function and Type::Variant the lessons' Rust programs use", () => {
    expect(lessonPrograms.length).toBeGreaterThan(10);
    const used = new Set(
      lessonPrograms.flatMap((code) =>
        [...code.replace(/\/\/.*$/gm, "").matchAll(/\b([A-Z]\w*)::(\w+)/g)].map(
          ([, owner, name]) => `${owner}::${name}`,
        ),
      ),
    );
    const known = new Set(api.items.map((i) => `${i.owner}::${i.name}`));
    expect([...used].filter((path) => !known.has(path))).toEqual([]);
  });

  it("knows the methods the lessons call on the facade's and std::net's types", () => {
    const methods = new Set(api.items.filter((i) => i.kind === "method").map((i) => i.name));
    for (const name of ["recv_from", "set_read_timeout", "octets", "write_all", "read", "kind"]) {
      expect(methods).toContain(name);
    }
  });
});

describe("the Rust completion source", () => {
  const complete = rustCompletionSource(api);
  const at = (code: string) =>
    complete(new CompletionContext(EditorState.create({ doc: code }), code.length, false));
  const labels = (result: CompletionResult | null) => result?.options.map((o) => o.label) ?? [];

  it("offers a type's associated functions after `Type::`", () => {
    const result = at("let socket = UdpSocket::b");
    expect(result?.from).toBe("let socket = UdpSocket::".length);
    expect(labels(result)).toEqual(["bind"]);
    expect(result?.options[0]?.detail).toBe(
      "fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket>",
    );
    expect(labels(at("Duration::"))).toEqual(expect.arrayContaining(["from_secs", "ZERO"]));
  });

  it("offers a module's items after `std::net::` and inside `use std::net::{…}`", () => {
    const items = ["UdpSocket", "TcpStream", "Ipv4Addr", "receive_packet"];
    expect(labels(at("use std::net::"))).toEqual(expect.arrayContaining(items));
    expect(labels(at("use std::net::{Ipv4Addr, Udp"))).toEqual(expect.arrayContaining(items));
    expect(labels(at("use std::"))).toEqual(expect.arrayContaining(["net", "fs", "time", "io"]));
  });

  it("offers methods with their type after `.`, and keywords and types elsewhere", () => {
    const methods = at("socket.rec");
    expect(methods?.options).toContainEqual(
      expect.objectContaining({
        label: "recv_from",
        detail: "UdpSocket: fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)>",
      }),
    );
    expect(labels(at("stream.wri"))).toContain("write_all");
    expect(labels(at("    le"))).toEqual(expect.arrayContaining(["let", "UdpSocket", "println!"]));
  });
});
