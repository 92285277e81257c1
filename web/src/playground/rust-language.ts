/// <reference types="vite/client" />
// Rust for the editor, in a chunk of its own (only a learner who picks Rust loads it): the
// grammar, and completion read from packetlab's `std` facade as rustc links it (the source
// itself, bundled at build time, so what is offered is what the compiler has).
import { autocompletion } from "@codemirror/autocomplete";
import { rust, rustLanguage } from "@codemirror/lang-rust";
import facade from "../../../sandbox/rust/std.rs?raw";
import { rustApi } from "./rust-api.ts";
import { rustCompletionSource } from "./rust-completions.ts";

export function rustSupport() {
  return [
    rust(),
    rustLanguage.data.of({ autocomplete: rustCompletionSource(rustApi(facade)) }),
    autocompletion(),
  ];
}
