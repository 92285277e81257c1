// Graded from what the program printed, against this session's captured segment.
import {
  type CheckContext,
  defineChecks,
  fail,
  pass,
  printed,
} from "../../../src/grading/kit/index.ts";
import { hostAddress } from "../network.ts";
import { capturedSegment } from "../topology.ts";

function truth(context: CheckContext) {
  return capturedSegment(context.seed, hostAddress(context.topology, "alice")).fields;
}

/** The number printed after "<label>:", or null (a missing line), or NaN (not a number). */
function printedNumber(context: CheckContext, label: string): number | null {
  const match = new RegExp(`^\\s*${label}\\s*[:=]\\s*(-?[0-9]+)`, "im").exec(printed(context.run));
  if (match) return Number(match[1]);
  return new RegExp(`^\\s*${label}\\s*[:=]`, "im").test(printed(context.run)) ? NaN : null;
}

function byteSwapped32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

/** Feedback for one numeric field: what was printed, what the header says, and why they differ. */
function compare(
  context: CheckContext,
  label: string,
  expected: number,
  bytes: string,
  bits: 16 | 32,
): string | null {
  const got = printedNumber(context, label);
  if (got === null) return `Print a line "${label}: …"; it is missing.`;
  if (Number.isNaN(got)) return `Your "${label}" line does not hold a whole number.`;
  if (got === expected) return null;
  if (got < 0) {
    return (
      `Your ${label} is negative (${got}): JavaScript's << works on signed 32-bit numbers. ` +
      `End the expression with ">>> 0" to read it unsigned: ${expected}.`
    );
  }
  const swapped =
    bits === 32 ? byteSwapped32(expected) : ((expected & 0xff) << 8) | (expected >>> 8);
  if (got === swapped) {
    return `Your ${label} ${got} has bytes ${bytes} read backwards: TCP numbers are big-endian, the most significant byte first. It is ${expected}.`;
  }
  return `Your ${label} is ${got}, but bytes ${bytes} of the header say ${expected}.`;
}

export default defineChecks([
  {
    id: "ports",
    title: "You printed the source and destination ports",
    weight: 2,
    required: true,
    check: (context) => {
      const t = truth(context);
      const source = printedNumber(context, "source port");
      const destination = printedNumber(context, "destination port");
      if (source === t.destinationPort && destination === t.sourcePort) {
        return fail(
          "You swapped the ports: the source port comes first (bytes 0–1), then the destination port (bytes 2–3).",
        );
      }
      const problem =
        compare(context, "source port", t.sourcePort, "0–1", 16) ??
        compare(context, "destination port", t.destinationPort, "2–3", 16);
      return problem
        ? fail(problem)
        : pass(`Source port ${t.sourcePort} (Alice's) and destination port ${t.destinationPort}.`);
    },
  },
  {
    id: "numbers",
    title: "You printed the sequence and acknowledgment numbers",
    weight: 3,
    required: true,
    check: (context) => {
      const t = truth(context);
      const problem =
        compare(context, "sequence number", t.sequenceNumber, "4–7", 32) ??
        compare(context, "acknowledgment number", t.acknowledgmentNumber, "8–11", 32);
      return problem
        ? fail(
            problem,
            "Combine four bytes as (b0 << 24) | (b1 << 16) | (b2 << 8) | b3, then >>> 0.",
          )
        : pass(
            `Sequence number ${t.sequenceNumber}, acknowledgment number ${t.acknowledgmentNumber}: ` +
              `Alice acknowledges everything before byte ${t.acknowledgmentNumber}.`,
          );
    },
  },
  {
    id: "header-and-flags",
    title: "You printed the header length, the flags and the window",
    weight: 3,
    required: true,
    check: (context) => {
      const t = truth(context);
      const length = printedNumber(context, "header length");
      if (length === 6) {
        return fail(
          "Your header length is 6: the data offset counts 32-bit words. Multiply by 4 for bytes: 24.",
        );
      }
      const problem =
        compare(context, "header length", 24, "12 (upper 4 bits, × 4)", 16) ??
        compare(context, "window", t.window, "14–15", 16);
      if (problem) return fail(problem);
      const flags = /^\s*flags\s*[:=]\s*(.*)$/im.exec(printed(context.run))?.[1] ?? null;
      if (flags === null) return fail('Print a line "flags: …" with the names of the set flags.');
      const words = flags.toUpperCase().match(/[A-Z]+/g) ?? [];
      const set = new Set(
        words.map((w) => (w === "SYNCHRONIZE" ? "SYN" : w === "ACKNOWLEDGMENT" ? "ACK" : w)),
      );
      if (set.size !== 2 || !set.has("SYN") || !set.has("ACK")) {
        return fail(
          `You printed the flags "${flags.trim()}", but byte 13 is 0x12: the ACK (0x10) and SYN (0x02) bits are set.`,
          "Test each bit with byte & mask: CWR 0x80, ECE 0x40, URG 0x20, ACK 0x10, PSH 0x08, RST 0x04, SYN 0x02, FIN 0x01.",
        );
      }
      return pass(`A 24-byte header, flags SYN and ACK (a SYN-ACK), window ${t.window}.`);
    },
  },
  {
    id: "mss",
    title: "Bonus: you found the MSS in the options",
    weight: 1,
    required: false,
    check: (context) => {
      const t = truth(context);
      const problem = compare(context, "mss", t.mss, "22–23", 16);
      return problem
        ? fail(problem, "The options start at byte 20: kind 2, length 4, then the MSS in 2 bytes.")
        : pass(`MSS ${t.mss}: Alice takes at most ${t.mss} bytes of data per segment.`);
    },
  },
]);
