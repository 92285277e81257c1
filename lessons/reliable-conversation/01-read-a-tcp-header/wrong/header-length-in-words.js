// expect-fail: header-and-flags
// expect-message: counts 32-bit words
// expect-subject: none
// Prints the data offset itself instead of the length in bytes.
import { readFile } from "fs";

const s = readFile("segment.bin");
const u16 = (at) => (s[at] << 8) | s[at + 1];
const u32 = (at) => ((s[at] << 24) | (s[at + 1] << 16) | (s[at + 2] << 8) | s[at + 3]) >>> 0;
console.log(`source port: ${u16(0)}`);
console.log(`destination port: ${u16(2)}`);
console.log(`sequence number: ${u32(4)}`);
console.log(`acknowledgment number: ${u32(8)}`);
console.log(`header length: ${s[12] >> 4} bytes`);
console.log("flags: SYN ACK");
console.log(`window: ${u16(14)}`);
