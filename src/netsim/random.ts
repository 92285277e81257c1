// Seeded randomness. Each concern (a link's loss draws, the ephemeral port start) gets its own
// stream derived from the run's seed, so adding a socket does not shift which packets get lost.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number;
}

/** splitmix32: spreads (seed, stream) over the 128-bit state of xoshiro128**. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** xoshiro128** (Blackman & Vigna), a small, fast generator with a 2^128 period. */
export function createRandom(seed: number, stream: number): Random {
  const mix = { x: (Math.trunc(seed) ^ Math.imul(stream + 1, 0x632be5ab)) | 0 };
  let a = splitmix32(mix);
  let b = splitmix32(mix);
  let c = splitmix32(mix);
  let d = splitmix32(mix);
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    next: () => nextUint32() / 0x1_0000_0000,
    nextInt: (bound) => Math.floor((nextUint32() / 0x1_0000_0000) * bound),
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
