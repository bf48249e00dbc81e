import { expect } from 'chai';
import type { Tensor } from '@strata/core';

// Shared by the losses tests: seeded float32 inputs, float64 reference loops over an axis, and
// tolerant comparisons. Reference values are computed here, never with the code under test.

/** The clip bounds as a float32 tensor holds them (1 - 1e-7 rounds to 1 - 2^-23 in float32). */
export const LO = Math.fround(1e-7);
export const HI = Math.fround(1 - 1e-7);
export const EPS = 1e-7;

/** A small seeded generator (mulberry32), so every run uses the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` float32 values uniform in [lo, hi). */
export function uniformArray(n: number, lo: number, hi: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** `n` labels, each -1 or 1 (or 0/1 with `zeroOne`). */
export function signArray(n: number, seed: number, zeroOne = false): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() < 0.5 ? (zeroOne ? 0 : -1) : 1;
  return out;
}

/** Random rows along the last axis that are probability distributions. */
export function distributionArray(shape: readonly number[], seed: number): Float32Array {
  const raw = uniformArray(size(shape), 0.05, 1, seed);
  for (const row of rowsAlong(shape, shape.length - 1)) {
    const total = row.reduce((s, i) => s + raw[i]!, 0);
    for (const i of row) raw[i] = raw[i]! / total;
  }
  return raw;
}

/** One-hot rows along the last axis, with the class indices chosen. */
export function oneHotArray(shape: readonly number[], seed: number): { oneHot: Float32Array; indices: number[] } {
  const r = rng(seed);
  const classes = shape[shape.length - 1]!;
  const oneHot = new Float32Array(size(shape));
  const indices: number[] = [];
  for (const row of rowsAlong(shape, shape.length - 1)) {
    const k = Math.floor(r() * classes);
    indices.push(k);
    oneHot[row[k]!] = 1;
  }
  return { oneHot, indices };
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The flat indices of each line along `axis`, one line per position of the other axes, in
 * row-major order of those axes (the order of a reduction's output).
 */
export function rowsAlong(shape: readonly number[], axis: number): number[][] {
  const ax = axis < 0 ? axis + shape.length : axis;
  const strides = shape.map((_d, i) => size(shape.slice(i + 1)));
  const outer = shape.filter((_d, i) => i !== ax);
  const outerAxes = shape.map((_d, i) => i).filter((i) => i !== ax);
  const rows: number[][] = [];
  for (let o = 0; o < size(outer); o++) {
    let rest = o;
    let base = 0;
    for (let k = outer.length - 1; k >= 0; k--) {
      base += (rest % outer[k]!) * strides[outerAxes[k]!]!;
      rest = Math.floor(rest / outer[k]!);
    }
    const row: number[] = [];
    for (let j = 0; j < shape[ax]!; j++) row.push(base + j * strides[ax]!);
    rows.push(row);
  }
  return rows;
}

/** Applies `f` to each pair of lines of `t` and `p` along `axis`. */
export function perRow(
  t: ArrayLike<number>,
  p: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  f: (t: number[], p: number[]) => number,
): number[] {
  return rowsAlong(shape, axis).map((row) => f(row.map((i) => t[i]!), row.map((i) => p[i]!)));
}

export const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
export const sumOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
export const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

/** Reads a tensor's values as numbers and disposes it. */
export async function take(t: Tensor): Promise<number[]> {
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

/** Element-by-element `|a - e| <= atol + rtol |e|`, naming the first index that is off. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5, what = ''): void {
  expect(actual.length, `${what} length`).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= atol + rtol * Math.abs(e) : a === e;
    if (!ok) expect.fail(`${what}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
  }
}
