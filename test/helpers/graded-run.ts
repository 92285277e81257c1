// A GradedRun built by hand, for tests of storage that do not need a real run.
import type { GradedRun } from "../../src/grading/types.ts";
import type { PacketEvent } from "../../src/netsim/types.ts";

export function packetEvent(seq: number): PacketEvent {
  // A 28-byte IPv4/UDP header with an empty payload: enough for a trace and a pcap record.
  const hex = "4500001c00014000401100000a0000020a000003c00003e800080000";
  return {
    seq,
    sentUs: seq * 1000,
    arrivedUs: seq * 1000 + 500,
    from: "learner",
    to: "alice",
    length: hex.length / 2,
    hex,
    layers: [],
    summary: `packet ${seq}`,
    topProtocol: "udp",
    fate: { status: "delivered" },
  };
}

export function gradedRun(
  overrides: {
    lessonId?: string;
    exerciseId?: string;
    score?: number;
    passed?: boolean;
    packets?: number;
    failedCheck?: string;
  } = {},
): GradedRun {
  const passed = overrides.passed ?? true;
  const failed = overrides.failedCheck ?? "reply";
  return {
    lessonId: overrides.lessonId ?? "exchanging-messages",
    lessonVersion: "1",
    exerciseId: overrides.exerciseId ?? "hello-alice",
    run: {
      outcome: "ok",
      message: "Your program finished.",
      output: [{ stream: "stdout", text: "hi\n", atUs: 10 }],
      outputTruncated: false,
      packets: Array.from({ length: overrides.packets ?? 2 }, (_, i) => packetEvent(i + 1)),
      peers: {},
      learner: { host: "learner", address: "10.0.0.2" },
      virtualTimeUs: 2500,
      cpuMs: 3.5,
      wallMs: 7.25,
      limits: {
        cpuMs: 1000,
        wallMs: 3000,
        memoryMb: 64,
        outputBytes: 65536,
        maxPackets: 1000,
        maxBytes: 1_000_000,
        maxSockets: 16,
        maxVirtualTimeUs: 60_000_000,
      },
    },
    grade: {
      passed,
      score: overrides.score ?? (passed ? 100 : 50),
      checks: [
        {
          id: "sent",
          title: "Sent a datagram",
          passed: true,
          required: true,
          weight: 1,
          message: "ok",
        },
        {
          id: failed,
          title: "Got a reply",
          passed,
          required: true,
          weight: 1,
          message: passed ? "ok" : "no reply",
        },
      ],
    },
  };
}
