// What a lesson's checks.ts and topology.ts import: the check and topology types, verdict
// helpers, the trace decoded for checks, and the seed derivations. Everything in this folder is
// part of each lesson's version hash (see src/grading/loader/version.ts).
export { about, defineChecks, fail, pass } from "../check.ts";
export type { CheckContext, CheckDefinition, CheckVerdict, PacketRef } from "../check.ts";
export type { FieldPath } from "../../protocols/field-path.ts";
export { defineTopology } from "../lesson.ts";
export type { TopologyFactory } from "../lesson.ts";
export * from "./trace.ts";
export * from "./names.ts";
export * from "./seed.ts";
export * from "./output.ts";
