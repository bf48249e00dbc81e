/**
 * The random-number specification every engine implements: Philox4x32-10 (Salmon et al., SC'11),
 * a counter-based generator, so element `i` of a random tensor depends only on (seed, stream, i)
 * and any engine, in any order or in parallel, draws the same numbers. This file is the executable
 * spec: GPU engines port it and test against it.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32s. */
function mulHi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo + (lolo >>> 16);
  const mid2 = aLo * bHi + (mid1 & 0xffff);
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16)) >>> 0;
}

/**
 * One Philox4x32-10 block: 4 uint32 words from a 4-word counter and a 2-word key. `out` receives
 * the words (reuse it to avoid allocation in loops).
 *
 * @example
 * philox4x32([0, 0, 0, 0], [0, 0], new Uint32Array(4)); // [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 */
export function philox4x32(
  counter: readonly [number, number, number, number],
  key: readonly [number, number],
  out: Uint32Array,
): Uint32Array {
  return philoxWords(counter[0], counter[1], counter[2], counter[3], key[0], key[1], out);
}

/**
 * `philox4x32` with the counter and key as separate words, so hot loops allocate nothing.
 *
 * @example
 * philoxWords(i, 0, 0, 0, seed, stream, scratch);
 */
export function philoxWords(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): Uint32Array {
  c0 >>>= 0;
  c1 >>>= 0;
  c2 >>>= 0;
  c3 >>>= 0;
  k0 >>>= 0;
  k1 >>>= 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulHi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulHi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** 2^-24: uniforms use the top 24 bits of a word, so every value is exact in float32. */
const TWO_POW_MINUS_24 = 1 / 16777216;

/** Truncated normals are redrawn at most this many rounds, then clamped (probability < 1e-80). */
export const TRUNCATED_NORMAL_MAX_ROUNDS = 32;

/**
 * Element `index` of a uniform random tensor on [low, high), as every engine must compute it:
 * `low + u * (high - low)` in float32 with `u = (word0 >>> 8) * 2^-24` from counter `[index, 0, 0, 0]`.
 *
 * @example
 * philoxUniform(7, 0, 0, 0, 1); // a float32 in [0, 1)
 */
export function philoxUniform(seed: number, stream: number, index: number, low: number, high: number, scratch = new Uint32Array(4)): number {
  philoxWords(index >>> 0, Math.floor(index / 4294967296) >>> 0, 0, 0, seed, stream, scratch);
  const u = (scratch[0]! >>> 8) * TWO_POW_MINUS_24;
  return Math.fround(low + Math.fround(u * Math.fround(high - low)));
}

/**
 * Element `index` of a (truncated) normal tensor. Box-Muller on words 0 and 1 of the block at
 * counter `[index, 0, round, 0]`: `r = sqrt(-2 ln u1)`, `u1 = ((w0 >>> 8) + 1) 2^-24` in (0, 1],
 * `theta = 2 pi (w1 >>> 8) 2^-24`; candidates `r cos theta`, then `r sin theta`. Truncated normals
 * accept the first candidate within two standard deviations, moving to the next round otherwise.
 *
 * @example
 * philoxNormal(7, 0, 0, 0, 1, false); // a standard normal draw
 */
export function philoxNormal(
  seed: number, stream: number, index: number, mean: number, stddev: number, truncated: boolean,
  scratch = new Uint32Array(4),
): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  let z = 0;
  for (let round = 0; round < (truncated ? TRUNCATED_NORMAL_MAX_ROUNDS : 1); round++) {
    philoxWords(lo, hi, round, 0, seed, stream, scratch);
    const u1 = ((scratch[0]! >>> 8) + 1) * TWO_POW_MINUS_24;
    const theta = 2 * Math.PI * (scratch[1]! >>> 8) * TWO_POW_MINUS_24;
    const r = Math.sqrt(-2 * Math.log(u1));
    z = r * Math.cos(theta);
    if (!truncated || Math.abs(z) <= 2) break;
    z = r * Math.sin(theta);
    if (Math.abs(z) <= 2) break;
    z = Math.max(-2, Math.min(2, z));
  }
  return Math.fround(mean + stddev * z);
}
