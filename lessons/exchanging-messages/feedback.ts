// Checks shared by several exercises of this lesson, with feedback in the learner's terms.
import {
  about,
  addressField,
  type CheckContext,
  type CheckVerdict,
  dropField,
  dropReason,
  fail,
  nameAnswers,
  nameField,
  nameQueries,
  nameServerOf,
  payloadText,
  printed,
  printedAddresses,
  sentBy,
  type TracedPacket,
} from "../../src/grading/kit/index.ts";

/** "10.0.0.2:49152 → 10.0.0.53:53" */
export function endpoints(packet: TracedPacket): string {
  const ip = packet.ip;
  if (!ip) return "an unreadable packet";
  const udp = packet.udp;
  return udp
    ? `${ip.source}:${udp.sourcePort} → ${ip.destination}:${udp.destinationPort}`
    : `${ip.source} → ${ip.destination}`;
}

/** Why a packet did not arrive, from the network's drop reason and the decoders' complaints. */
export function whyDropped(packet: TracedPacket): string {
  const reason = dropReason(packet) ?? "it was not delivered";
  const problems = packet.errors.length > 0 ? ` (${packet.errors.join("; ")})` : "";
  return `${reason}${problems}`;
}

/** Did the learner's program ask the name server for `name`, and did the request arrive? */
export function askedFor(context: CheckContext, name: string): CheckVerdict {
  const { run, topology } = context;
  const server = nameServerOf(topology);
  if (!server) throw new Error("this exercise's network has no name server");
  const queries = nameQueries(run, topology);
  const right = queries.filter((q) => q.name === name);
  const arrived = right.find((q) => q.packet.event.fate.status === "delivered");
  if (arrived) {
    return about(arrived.packet, nameField(arrived.packet)).pass(
      `You asked the name server for ${name}.`,
    );
  }
  if (right[0]) {
    return about(right[0].packet, dropField(right[0].packet)).fail(
      `Your request for ${name} never reached the name server: ${whyDropped(right[0].packet)}.`,
      "Look at that packet in the packet list: the field named in the reason is the one to fix.",
    );
  }
  if (queries[0]) {
    const asked = queries[0].name;
    const query = about(queries[0].packet, nameField(queries[0].packet));
    return asked === null
      ? query.fail(
          `The name server got "${payloadText(queries[0].packet.udpPayload)}", which is not a name it can look up.`,
          `Send the name itself as text, exactly "${name}".`,
        )
      : query.fail(
          `You asked the name server for "${asked}", not for ${name}.`,
          `The name server only knows full names: ask for exactly "${name}".`,
        );
  }
  const sent = sentBy(run.packets, topology.learnerHost).filter((p) => p.udp);
  const wrongPort = sent.find((p) => p.ip?.destination === server.address);
  if (wrongPort?.udp) {
    return about(wrongPort, "udp.destinationPort").fail(
      `You sent to the name server's address on port ${wrongPort.udp.destinationPort}; it listens on port ${server.port}.`,
      `Send to "${server.address}:${server.port}".`,
    );
  }
  const wrongAddress = sent.find((p) => p.udp?.destinationPort === server.port);
  if (wrongAddress?.ip) {
    return about(wrongAddress, "ipv4.destination").fail(
      `You sent a request to ${wrongAddress.ip.destination}, but the name server is at ${server.address}.`,
      `Send to "${server.address}:${server.port}".`,
    );
  }
  return fail(
    `Your program did not ask the name server (${server.address}, UDP port ${server.port}) for ${name}.`,
    `Send the name "${name}" to "${server.address}:${server.port}" with a socket's sendTo().`,
  );
}

/** The address the name server answered to the learner in this run, if it did. */
export function answeredAddress(context: CheckContext, expected: string): string | null {
  return nameAnswers(context.run, context.topology).some((a) => a.address === expected)
    ? expected
    : null;
}

/** Did the program print `expected` as a dotted quad? `name` is what it is the address of. */
export function printedAddress(
  context: CheckContext,
  expected: string,
  name: string,
): CheckVerdict {
  const { run } = context;
  // Linked to the answer that carried the address, so the learner can compare it with theirs.
  const answer = nameAnswers(run, context.topology).find((a) => a.address === expected)?.packet;
  const linked = about(answer, answer && addressField(answer));
  if (printedAddresses(run).includes(expected)) {
    return linked.pass(`You printed ${expected}, the address of ${name}.`);
  }
  const text = printed(run);
  if (text.trim() === "") {
    return linked.fail(
      `Your program printed nothing; it should print the address of ${name}.`,
      "Print it with console.log(…).",
    );
  }
  // The 4 bytes printed as numbers ("10,0,23,4") or as hex ("<Uint8Array(4) 0a 00 17 fd>").
  const numbers = expected.split(".");
  const decimal = numbers.join("\\D{1,3}");
  const hex = numbers.map((n) => Number(n).toString(16).padStart(2, "0")).join("[\\s:,]?");
  const asBytes =
    new RegExp(`(?<!\\d)${decimal}(?!\\d)`).exec(text) ??
    new RegExp(`(?<![0-9a-f])${hex}(?![0-9a-f])`, "i").exec(text);
  if (asBytes && !text.includes(expected)) {
    return linked.fail(
      `You printed the answer's 4 raw bytes (${asBytes[0]}), not an address.`,
      "Ipv4Addr.fromBytes(answer) reads the 4 bytes as an address; print its toString().",
    );
  }
  const other = printedAddresses(run)[0];
  if (other) {
    return linked.fail(
      `You printed ${other}, which is not the address of ${name} in your session.`,
      "Print the address from the name server's answer, not one written in your code.",
    );
  }
  const first = text.split("\n")[0]!.slice(0, 60);
  return linked.fail(
    `Your program printed "${first}", but no IPv4 address.`,
    "Print the address as four numbers with dots, e.g. with Ipv4Addr.fromBytes(answer).toString().",
  );
}
