// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
// the data taken as big-endian 16-bit words. IPv4, UDP and ICMP all use it.

/**
 * Adds bytes[start, end) as big-endian 16-bit words to `initial` without folding the carries.
 * An odd trailing byte counts as the high byte of a word padded with zero (RFC 1071 §4.1).
 * Partial sums of several pieces (a pseudo-header, then a datagram) can be chained through
 * `initial`, as long as each piece but the last has an even length.
 */
export function sumWords(bytes: Uint8Array, initial = 0, start = 0, end = bytes.length): number {
  let sum = initial;
  let i = start;
  const last = end - 1;
  for (; i < last; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

/** Folds the carries of a partial sum back into 16 bits (RFC 1071 §2 (C) "end-around carry"). */
export function foldSum(sum: number): number {
  // Sums stay far below 2^53 for any packet, so plain arithmetic is exact.
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * RFC 1071 checksum of `bytes`. `initial` is an unfolded partial sum from `sumWords` (e.g. of a
 * pseudo-header). A checksum computed over data that already holds a correct checksum is 0.
 */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~foldSum(sumWords(bytes, initial)) & 0xffff;
}
