// Completion for Rust from the API the learner's program is linked against (rust-api.ts): after
// `UdpSocket::` its associated functions, after `std::net::` (or inside `use std::net::{…}`) the
// module's items, after `.` the methods of the sockets and addresses, elsewhere the types,
// keywords and macros. No type inference: after a `.` every known method is offered, with the
// type it belongs to in its detail.
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { RUST_KEYWORDS, RUST_MACROS, type RustApi, type RustItem } from "./rust-api.ts";

const WORD = /^\w*$/;

const TYPES: Record<RustItem["kind"], string> = {
  module: "namespace",
  type: "class",
  function: "function",
  method: "method",
  constant: "constant",
  variant: "enum",
};

const completion = (item: RustItem, withOwner = false): Completion => ({
  label: item.name,
  type: TYPES[item.kind],
  detail: withOwner && item.owner ? `${item.owner}: ${item.signature}` : item.signature,
  ...(item.doc ? { info: item.doc } : {}),
});

/** Unique by label (and detail): `bind` of UdpSocket and of TcpListener are two. */
function unique(options: Completion[]): Completion[] {
  const seen = new Set<string>();
  return options.filter((o) => {
    const key = `${o.label}\n${o.detail ?? ""}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

export function rustCompletionSource(api: RustApi) {
  const modules = new Set(api.items.filter((i) => i.kind === "module").map((i) => i.name));
  const types = new Set(api.items.filter((i) => i.kind === "type").map((i) => i.name));
  const methodsOf = (type: string) => {
    const owners = new Set([type, ...(api.traits[type] ?? [])]);
    return api.items.filter((i) => i.kind === "method" && owners.has(i.owner ?? ""));
  };
  const byMethod = [...types].flatMap((type) =>
    methodsOf(type).map((m) => ({ ...m, owner: type })),
  );
  const words: Completion[] = unique([
    ...api.items
      .filter((i) => i.kind === "type" || i.kind === "module" || (i.module && !i.owner))
      .map((i) => completion(i)),
    ...RUST_MACROS.map((name) => ({ label: `${name}!`, type: "function", detail: "macro" })),
    ...RUST_KEYWORDS.map((label) => ({ label, type: "keyword" })),
  ]);

  return (context: CompletionContext): CompletionResult | null => {
    // `std::net::`, `net::`, `UdpSocket::`, and `use std::net::{Ipv4Addr, Soc`.
    const path = context.matchBefore(/(\w+)::(?:\{[\w\s,]*)?\w*$/);
    if (path) {
      const owner = /^(\w+)::/.exec(path.text)![1]!;
      const from = context.pos - /\w*$/.exec(path.text)![0].length;
      let options: Completion[] = [];
      if (owner === "std") {
        options = api.items.filter((i) => i.kind === "module").map((i) => completion(i));
      } else if (modules.has(owner)) {
        options = api.items
          .filter((i) => i.module === owner && !i.owner && i.kind !== "module")
          .map((i) => completion(i));
      } else if (types.has(owner)) {
        options = api.items
          .filter((i) => i.owner === owner && i.kind !== "method")
          .map((i) => completion(i));
      }
      return options.length ? { from, options: unique(options), validFor: WORD } : null;
    }
    const member = context.matchBefore(/\.\w*$/);
    if (member) {
      return {
        from: member.from + 1,
        options: unique(byMethod.map((m) => completion(m, true))),
        validFor: WORD,
      };
    }
    const word = context.matchBefore(/\w+$/);
    if (!word && !context.explicit) return null;
    return { from: word?.from ?? context.pos, options: words, validFor: WORD };
  };
}
