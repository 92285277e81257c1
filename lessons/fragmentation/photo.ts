// The "photo" learners send Alice: a real, viewable BMP image, different for every session seed
// (so a learner cannot hand in someone else's bytes), 30,774 bytes: far more than one packet.
import { createHash } from "node:crypto";
import { seededBytes, seededUint32 } from "../../src/grading/kit/index.ts";

export const PHOTO_NAME = "photo.bmp";
const WIDTH = 128;
const HEIGHT = 80;
// BMP rows are padded to 4 bytes; 128 pixels × 3 bytes already are.
const ROW = WIDTH * 3;
const HEADER = 54;

/** A sunset: a sky gradient whose colours and sun position come from the seed, plus grain. */
export function makePhoto(seed: number): Uint8Array {
  const bytes = new Uint8Array(HEADER + ROW * HEIGHT);
  const view = new DataView(bytes.buffer);
  // BITMAPFILEHEADER (14 bytes) and BITMAPINFOHEADER (40 bytes), little-endian.
  bytes[0] = 0x42; // "B"
  bytes[1] = 0x4d; // "M"
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, HEADER, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, WIDTH, true);
  view.setInt32(22, HEIGHT, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, ROW * HEIGHT, true);
  const pick = seededUint32(seed, "fragmentation/photo");
  const sunX = 16 + (pick % (WIDTH - 32));
  const sunY = 40 + ((pick >>> 8) % 24);
  const tint = (pick >>> 16) % 64;
  const grain = seededBytes(seed, "fragmentation/grain", WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const offset = HEADER + y * ROW + x * 3;
      const noise = (grain[y * WIDTH + x]! & 15) - 8;
      const sun = (x - sunX) ** 2 + (y - sunY) ** 2 < 100;
      const sea = y < 30;
      const red = sun ? 255 : sea ? 20 + y : 180 + tint - y;
      const green = sun ? 220 : sea ? 40 + y * 2 : 80 + y;
      const blue = sun ? 120 : sea ? 120 + y * 3 : 90 + tint + y;
      // BMP stores blue, green, red.
      bytes[offset] = clamp(blue + noise);
      bytes[offset + 1] = clamp(green + noise);
      bytes[offset + 2] = clamp(red + noise);
    }
  }
  return bytes;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, value));
}
