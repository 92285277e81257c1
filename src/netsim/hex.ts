// Hex text of packet bytes for the event log. Node's Buffer encoder returns one flat string;
// a string built by `+=` stays a rope of one piece per byte until something flattens it, which
// made the retained event log several times larger than the packets it describes.
import { Buffer } from "node:buffer";

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}
