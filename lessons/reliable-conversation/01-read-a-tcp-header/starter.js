import { readFile } from "fs";

const segment = readFile("segment.bin");
// segment[0] is the first byte. Combine bytes into numbers, e.g. (segment[0] << 8) | segment[1].
console.log(`the segment has ${segment.length} bytes`);
