// What a lesson's checks.ts exports: small functions over one run, each judging one thing the
// exercise asks for. They are pure (no I/O, no clock) so a grade can be recomputed from a stored
// RunResult and always comes out the same.
import type { PacketEvent } from "../netsim/types.ts";
import type { FieldPath } from "../protocols/field-path.ts";
import type { RunResult } from "../runner/types.ts";
import type { CheckSubject, InstantiatedExercise } from "./types.ts";

/** Everything a check may look at: the run, and the session's network it ran against. */
export interface CheckContext extends InstantiatedExercise {
  run: RunResult;
  seed: number;
}

export type CheckVerdict = (
  { passed: true; message: string } | { passed: false; message: string; hint?: string }
) & { subject?: CheckSubject };

export interface CheckDefinition {
  /** Stable, kebab-case: wrong-answer manifests and stored grades refer to it. */
  id: string;
  title: string;
  /** Share of the score, relative to the exercise's other checks. */
  weight: number;
  /** Required checks decide whether the exercise is passed; the others are bonus points. */
  required: boolean;
  check(context: CheckContext): CheckVerdict;
}

export function pass(message: string): CheckVerdict {
  return { passed: true, message };
}

export function fail(message: string, hint?: string): CheckVerdict {
  return hint === undefined ? { passed: false, message } : { passed: false, message, hint };
}

/** Anything that stands for one packet of the trace: an event, or the kit's decoded packets. */
export type PacketRef = Pick<PacketEvent, "seq"> | { event: Pick<PacketEvent, "seq"> };

/**
 * Verdicts about one packet and, optionally, one of its fields, so the learner's grade links to
 * them: `about(packet, "udp.destinationPort").fail("Alice listens on port 1000; …")`. With no
 * packet (the one the check looked for is missing) the verdicts link to nothing.
 */
export function about(packet: PacketRef | undefined, field?: FieldPath) {
  const subject: CheckSubject | undefined =
    packet === undefined
      ? undefined
      : {
          packet: "event" in packet ? packet.event.seq : packet.seq,
          ...(field === undefined ? {} : { field }),
        };
  // A verdict that already names its subject keeps it: it was made closer to the evidence.
  const withSubject = (verdict: CheckVerdict): CheckVerdict =>
    subject && !verdict.subject ? { ...verdict, subject } : verdict;
  return {
    pass: (message: string) => withSubject(pass(message)),
    fail: (message: string, hint?: string) => withSubject(fail(message, hint)),
    /** A verdict made elsewhere (a shared helper's), now about this packet unless it names one. */
    mark: withSubject,
  };
}

/** Identity with a type: lets a checks.ts file be written without importing the interface. */
export function defineChecks(checks: CheckDefinition[]): CheckDefinition[] {
  return checks;
}
