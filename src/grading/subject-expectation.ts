// A wrong answer's "// expect-subject:" line: what its failing check must link the learner to.
//
//   // expect-subject: udp.destinationPort = 100    that field, in a packet where it says 100
//   // expect-subject: ipv4.flags.moreFragments     that field, in whichever packet
//   // expect-subject: packet                       a packet, no field
//   // expect-subject: none                         no link (the packet is missing)
//
// The value names the packet without its number, which shifts with the seed and the program.
import type { PacketEvent } from "../netsim/types.ts";
import { findFieldByPath } from "../protocols/field-path.ts";
import type { CheckSubject } from "./types.ts";

/** The subject in words: "packet 3 udp.destinationPort = 100", "packet 5", "none". */
export function describeSubject(
  subject: CheckSubject | undefined,
  packets: readonly PacketEvent[],
): string {
  if (!subject) return "none";
  if (subject.field === undefined) return `packet ${subject.packet}`;
  const packet = packets.find((p) => p.seq === subject.packet);
  const found = packet && findFieldByPath(packet.layers, subject.field);
  const value = found?.field ? ` = ${String(found.field.value)}` : "";
  return `packet ${subject.packet} ${subject.field}${value}`;
}

/** Null when the subject is what `expected` says, else the subject in words. */
export function subjectMismatch(
  expected: string,
  subject: CheckSubject | undefined,
  packets: readonly PacketEvent[],
): string | null {
  const actual = describeSubject(subject, packets);
  const [path, value] = expected.split(/\s*=\s*/, 2) as [string, string | undefined];
  const matches =
    path === "none"
      ? subject === undefined
      : path === "packet"
        ? subject !== undefined && subject.field === undefined
        : subject?.field === path &&
          (value === undefined || actual.endsWith(` ${path} = ${value}`));
  return matches ? null : actual;
}
