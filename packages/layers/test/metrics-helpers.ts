import { expect } from 'chai';
import { memory } from '@strata/core';
import type { Metric } from '../src/metrics/index.js';

// Shared by the metrics tests.

/** Reads a metric result as numbers and frees it. */
export async function read(m: Metric): Promise<number[]> {
  const r = m.result();
  const values = Array.from(await r.data());
  r.dispose();
  return values;
}

/** Asserts `actual` is within a relative tolerance of `expected`. */
export function expectClose(actual: number, expected: number, tol = 1e-5): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).to.be.at.most(tol * Math.max(1, Math.abs(expected)));
}

/** Asserts `fn` throws and that the message contains every part. */
export function expectThrow(fn: () => unknown, ...parts: string[]): void {
  let message = '';
  try {
    fn();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message, 'expected an error').to.not.equal('');
  for (const p of parts) expect(message).to.include(p);
}

/** A seeded LCG in [0, 1), so test data reproduces. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Asserts that an update after the first leaves the live-tensor count unchanged. */
export function expectNoLeak(m: Metric, update: () => void): void {
  update();
  m.result().dispose();
  const before = memory().numTensors;
  for (let i = 0; i < 3; i++) update();
  m.result().dispose();
  expect(memory().numTensors).to.equal(before);
}

