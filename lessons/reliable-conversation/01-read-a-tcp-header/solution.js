import { readFile } from "fs";

const s = readFile("segment.bin");
const u16 = (at) => (s[at] << 8) | s[at + 1];
// ">>> 0" keeps a 32-bit number unsigned: JavaScript's << works on signed 32-bit numbers.
const u32 = (at) => ((s[at] << 24) | (s[at + 1] << 16) | (s[at + 2] << 8) | s[at + 3]) >>> 0;

const names = ["CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN"];
const flags = names.filter((_, i) => s[13] & (0x80 >> i));
const headerLength = (s[12] >> 4) * 4;

console.log(`source port: ${u16(0)}`);
console.log(`destination port: ${u16(2)}`);
console.log(`sequence number: ${u32(4)}`);
console.log(`acknowledgment number: ${u32(8)}`);
console.log(`header length: ${headerLength} bytes`);
console.log(`flags: ${flags.join(" ")}`);
console.log(`window: ${u16(14)}`);

// Options: kind, length, data; 0 ends the list, 1 is padding.
for (let at = 20; at < headerLength;) {
  const kind = s[at];
  if (kind === 0) break;
  if (kind === 1) {
    at++;
    continue;
  }
  if (kind === 2) console.log(`mss: ${u16(at + 2)}`);
  at += s[at + 1];
}
