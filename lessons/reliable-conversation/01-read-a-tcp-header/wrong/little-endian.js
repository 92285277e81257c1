// expect-fail: numbers
// expect-message: bytes 4–7 read backwards
// expect-subject: none
// Reads the 32-bit numbers with the least significant byte first.
import { readFile } from "fs";

const s = readFile("segment.bin");
const u16 = (at) => (s[at] << 8) | s[at + 1];
const u32 = (at) => ((s[at + 3] << 24) | (s[at + 2] << 16) | (s[at + 1] << 8) | s[at]) >>> 0;
console.log(`source port: ${u16(0)}`);
console.log(`destination port: ${u16(2)}`);
console.log(`sequence number: ${u32(4)}`);
console.log(`acknowledgment number: ${u32(8)}`);
console.log(`header length: ${(s[12] >> 4) * 4} bytes`);
console.log("flags: SYN ACK");
console.log(`window: ${u16(14)}`);
