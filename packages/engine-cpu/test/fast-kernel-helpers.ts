import { expect } from 'chai';
import type { TensorInfo } from '@strata/engine-api';
import { wrap } from '../src/buffer.js';

// Shared by the fast-kernel tests: reproducible inputs, raw kernel inputs, and one closeness check.

/** Deterministic uniform values in [-1, 1) (mulberry32), so failures reproduce. */
export function randomValues(size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

export function tensor(values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: wrap(values), shape, dtype: 'float32' };
}

/**
 * Asserts elementwise closeness (relative to max(1, |expected|)); NaN must match NaN. Fails through
 * one assertion per array, not one per element, which keeps the suite fast.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!, a = actual[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    if (!ok) expect.fail(`index ${i}: got ${a}, expected ${e}`);
  }
}
