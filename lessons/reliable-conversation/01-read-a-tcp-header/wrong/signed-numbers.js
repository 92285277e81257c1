// expect-fail: numbers
// expect-message: negative
// expect-subject: none
// Forgets that << makes signed 32-bit numbers: large sequence numbers print negative.
import { readFile } from "fs";

const s = readFile("segment.bin");
const u16 = (at) => (s[at] << 8) | s[at + 1];
const u32 = (at) => (s[at] << 24) | (s[at + 1] << 16) | (s[at + 2] << 8) | s[at + 3];
console.log(`source port: ${u16(0)}`);
console.log(`destination port: ${u16(2)}`);
console.log(`sequence number: ${u32(4) < 0 ? u32(4) : -1}`);
console.log(`acknowledgment number: ${u32(8) < 0 ? u32(8) : -1}`);
console.log(`header length: ${(s[12] >> 4) * 4} bytes`);
console.log("flags: SYN ACK");
console.log(`window: ${u16(14)}`);
