// `packetlab dissect`: decode packets given as hex (arguments or stdin lines) or in a pcap file,
// and print their layers as a field table, or as JSON for other tools.
import { readFile, stat } from "node:fs/promises";
import type { CliIo } from "./io.ts";
import { dissectPacket } from "../protocols/dissect.ts";
import { fromHex, toHex } from "../protocols/hex.ts";
import { PcapError, readPcap } from "../protocols/pcap.ts";
import { formatDetail, formatList, type Dissected } from "./dissect-format.ts";

const HELP = `usage: packetlab dissect [-V] [-x] [--json] [HEX… | FILE… | --pcap FILE]

Decodes IPv4 packets (UDP, TCP, ICMP, DNS, the lesson's name lookup) and lists them one line a
packet, as tshark does: number, time, source → destination, protocol, length, info.

  HEX          a packet as hex; spaces, colons and 0x prefixes are fine ("4500 0021 …")
  FILE         a pcap file (raw IP, IPv4 or Ethernet link type), recognised by its contents
  --pcap FILE  the same, said explicitly
  (none)       read packets from standard input: one hex packet a line, or a pcap file
  -V           every layer and header field, with its RFC name, bits, value and problems
  -x           the bytes as a hex dump after each packet
  --json       print a JSON array of {hex, timeUs?, layers, summary}
  --help       show this help

Exit status: 0 when every input was read (malformed packets are printed with their errors),
1 when some input could not be read (bad hex, unreadable file, not a pcap file).
`;

interface Input {
  label: string;
  bytes: Uint8Array;
  timeUs?: number;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let json = false;
  let verbose = false;
  let hexDump = false;
  const sources: { kind: "hex" | "file"; text: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") {
      io.out(HELP);
      return 0;
    }
    if (arg === "--json") json = true;
    else if (arg === "-V" || arg === "--verbose") verbose = true;
    else if (arg === "-x" || arg === "--hex") hexDump = true;
    else if (arg === "--pcap") {
      const file = args[++i];
      if (!file) {
        io.err("packetlab dissect: --pcap needs a file name\n");
        return 1;
      }
      sources.push({ kind: "file", text: file });
    } else if (arg.startsWith("-")) {
      io.err(`packetlab dissect: unknown option ${arg}\n\n${HELP}`);
      return 1;
    } else sources.push({ kind: (await isFile(arg)) ? "file" : "hex", text: arg });
  }
  const inputs: Input[] = [];
  let failed = false;
  const fail = (message: string) => {
    io.err(`packetlab dissect: ${message}\n`);
    failed = true;
  };
  if (sources.length === 0) {
    if (io.stdinIsTerminal) {
      io.err(`packetlab dissect: no packets given\n\n${HELP}`);
      return 1;
    }
    const stdin = await io.readStdin();
    if (looksBinary(stdin)) readCapture(stdin, "standard input", inputs, fail, io);
    else readHexLines(new TextDecoder().decode(stdin), inputs, fail);
  }
  for (const source of sources) {
    if (source.kind === "hex") {
      addHex(source.text, `packet ${inputs.length + 1}`, inputs, fail);
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(source.text));
    } catch (error) {
      fail(`cannot read ${source.text}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      continue;
    }
    readCapture(bytes, source.text, inputs, fail, io);
  }
  const dissections: Dissected[] = inputs.map((input) => ({
    ...input,
    dissection: dissectPacket(input.bytes),
  }));
  if (json) {
    const out = dissections.map(({ bytes, timeUs, dissection }) => ({
      hex: toHex(bytes),
      ...(timeUs !== undefined ? { timeUs } : {}),
      ...dissection,
    }));
    io.out(JSON.stringify(out, null, 2) + "\n");
  } else if (verbose) {
    for (const item of dissections) io.out(formatDetail(item, hexDump));
  } else if (dissections.length > 0) {
    io.out(formatList(dissections, hexDump));
  }
  return failed ? 1 : 0;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

// Hex text is printable ASCII; a capture file starts with a binary magic number.
function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4);
  return head.some((b) => b < 9 || (b > 13 && b < 32) || b > 126);
}

function readCapture(
  bytes: Uint8Array,
  name: string,
  inputs: Input[],
  fail: (m: string) => void,
  io: CliIo,
): void {
  try {
    const file = readPcap(bytes);
    for (const note of file.notes) io.err(`${name}: ${note}\n`);
    file.records.forEach((record, i) => {
      inputs.push({ label: `${name} #${i + 1}`, bytes: record.bytes, timeUs: record.timeUs });
    });
  } catch (error) {
    if (!(error instanceof PcapError)) throw error;
    fail(`${name}: ${error.message}`);
  }
}

function readHexLines(text: string, inputs: Input[], fail: (m: string) => void): void {
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    addHex(trimmed, `line ${i + 1}`, inputs, fail);
  });
}

function addHex(text: string, label: string, inputs: Input[], fail: (m: string) => void): void {
  try {
    inputs.push({ label, bytes: fromHex(text) });
  } catch (error) {
    fail(`${label}: ${(error as Error).message}`);
  }
}
