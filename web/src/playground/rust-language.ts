// Rust's grammar for the editor, in a chunk of its own: only a learner who picks Rust loads it.
export { rust } from "@codemirror/lang-rust";
