import { expect } from 'chai';
import { normal, randomNormal, randomUniform, setSeed, truncatedNormal, uniform, type Tensor } from '@strata/core';
import { philoxNormal, philoxUniform } from '@strata/engine-api';
import { conformanceCase, expectClose, expectNoLeaks, type SuiteContext } from '../harness.js';
import { expectOpError } from './case-helpers.js';

/** Reads a tensor's values as numbers and disposes it. */
async function take(t: Tensor): Promise<number[]> {
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** The spec's values for elements 0..n-1 of one (seed, stream). */
function specUniform(n: number, seed: number, stream: number, low: number, high: number): number[] {
  return Array.from({ length: n }, (_, i) => philoxUniform(seed, stream, i, low, high));
}

function specNormal(n: number, seed: number, stream: number, mean: number, stddev: number, truncated: boolean): number[] {
  return Array.from({ length: n }, (_, i) => philoxNormal(seed, stream, i, mean, stddev, truncated));
}

/** Bit-exact comparison: every engine draws the spec's float32 numbers. */
function expectExact(actual: readonly number[], expected: readonly number[], label: string): void {
  expectClose(actual, expected, { atol: 0, rtol: 0 }, label);
}

function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  let s = 0;
  for (const v of values) s += v;
  const mean = s / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

/**
 * Standard deviation of a standard normal truncated to [-2, 2]:
 * `sqrt(1 - 2 * 2 * phi(2) / (Phi(2) - Phi(-2)))`, with phi(2) = exp(-2) / sqrt(2 pi) and
 * Phi(2) - Phi(-2) = erf(sqrt 2) = 0.9544997361036416.
 */
const TRUNCATED_STD = Math.sqrt(1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / 0.9544997361036416);

const N = 10000;

/**
 * Cases for the seeded random ops: element-by-element agreement with the Philox spec in
 * `@strata/engine-api` (explicit seeds use stream 0; the global seed hands out streams 0, 1, 2...),
 * sample statistics, truncation bounds, and argument errors.
 *
 * @example
 * describe('random', () => randomCases(ctx));
 */
export function randomCases(ctx: SuiteContext): void {
  describe('spec agreement', () => {
    conformanceCase(ctx, 'uniform.matches-spec', async () => {
      const values = await take(uniform([3, 4], -2, 3, { seed: 7 }));
      expectExact(values, specUniform(12, 7, 0, -2, 3), 'uniform seed 7');
      const unit = await take(uniform([257], 0, 1, { seed: 123456789 }));
      expectExact(unit, specUniform(257, 123456789, 0, 0, 1), 'uniform seed 123456789');
    });

    conformanceCase(ctx, 'normal.matches-spec', async () => {
      const values = await take(normal([5, 7], 1.5, 0.25, { seed: 11 }));
      expectExact(values, specNormal(35, 11, 0, 1.5, 0.25, false), 'normal seed 11');
    });

    conformanceCase(ctx, 'truncatedNormal.matches-spec', async () => {
      // 500 draws make redraw rounds (|z| > 2 on both candidates) certain to occur.
      const values = await take(truncatedNormal([500], -1, 3, { seed: 4242 }));
      expectExact(values, specNormal(500, 4242, 0, -1, 3, true), 'truncatedNormal seed 4242');
    });

    conformanceCase(ctx, 'random.explicit-seed-repeats', async () => {
      const a = await take(uniform([16], 0, 1, { seed: 99 }));
      const b = await take(uniform([16], 0, 1, { seed: 99 }));
      expect(a).to.deep.equal(b);
      const c = await take(uniform([16], 0, 1, { seed: 100 }));
      expect(c).to.not.deep.equal(a);
    });

    conformanceCase(ctx, 'random.global-seed-streams', async () => {
      setSeed(5);
      const first = await take(uniform([8]));
      const second = await take(uniform([8]));
      expectExact(first, specUniform(8, 5, 0, 0, 1), 'setSeed(5), first call: stream 0');
      expectExact(second, specUniform(8, 5, 1, 0, 1), 'setSeed(5), second call: stream 1');
      setSeed(5);
      expect(await take(uniform([8]))).to.deep.equal(first);
      expect(await take(uniform([8]))).to.deep.equal(second);
    });

    conformanceCase(ctx, 'random.streams-shared-across-distributions', async () => {
      setSeed(31);
      const u = await take(uniform([4], -1, 1));
      const n = await take(normal([4], 0, 2));
      const t = await take(truncatedNormal([4]));
      expectExact(u, specUniform(4, 31, 0, -1, 1), 'uniform: stream 0');
      expectExact(n, specNormal(4, 31, 1, 0, 2, false), 'normal: stream 1');
      expectExact(t, specNormal(4, 31, 2, 0, 1, true), 'truncatedNormal: stream 2');
    });

    conformanceCase(ctx, 'random.explicit-seed-keeps-stream-counter', async () => {
      setSeed(17);
      const pinned = await take(normal([6], 0, 1, { seed: 3 }));
      expectExact(pinned, specNormal(6, 3, 0, 0, 1, false), 'explicit seed 3: stream 0');
      // The explicit-seed call took no stream from the global counter.
      const next = await take(uniform([6]));
      expectExact(next, specUniform(6, 17, 0, 0, 1), 'global seed 17: stream 0');
    });
  });

  describe('statistics and bounds', () => {
    conformanceCase(ctx, 'uniform.statistics', async () => {
      const values = await take(uniform([N], 2, 5, { seed: 1 }));
      const { mean, std } = meanAndStd(values);
      // Standard error of the mean is 0.866 / 100; the bounds are several of them.
      expect(mean, 'mean').to.be.closeTo(3.5, 0.05);
      expect(std, 'std').to.be.closeTo(3 / Math.sqrt(12), 0.03);
      expect(Math.min(...values), 'min').to.be.at.least(2);
      expect(Math.max(...values), 'max').to.be.below(5);
    });

    conformanceCase(ctx, 'normal.statistics', async () => {
      const values = await take(normal([N], 1, 2, { seed: 2 }));
      const { mean, std } = meanAndStd(values);
      expect(mean, 'mean').to.be.closeTo(1, 0.1);
      expect(std, 'std').to.be.closeTo(2, 0.08);
      // Untruncated: some draws fall beyond two standard deviations (about 4.6% of them).
      const outside = values.filter((v) => Math.abs(v - 1) > 4).length;
      expect(outside / N, 'fraction beyond 2 stddev').to.be.within(0.03, 0.065);
    });

    conformanceCase(ctx, 'truncatedNormal.statistics-and-bounds', async () => {
      const values = await take(truncatedNormal([N], 3, 0.5, { seed: 3 }));
      const { mean, std } = meanAndStd(values);
      expect(mean, 'mean').to.be.closeTo(3, 0.03);
      expect(std, 'std').to.be.closeTo(0.5 * TRUNCATED_STD, 0.02);
      expect(Math.min(...values), 'min').to.be.at.least(2 - 1e-6);
      expect(Math.max(...values), 'max').to.be.at.most(4 + 1e-6);
    });

    conformanceCase(ctx, 'random.degenerate-and-empty', async () => {
      expect(await take(normal([4], 2.5, 0, { seed: 1 }))).to.deep.equal([2.5, 2.5, 2.5, 2.5]);
      expect(await take(truncatedNormal([3], -1, 0, { seed: 1 }))).to.deep.equal([-1, -1, -1]);
      const empty = uniform([0, 3], 0, 1, { seed: 1 });
      expect([...empty.shape]).to.deep.equal([0, 3]);
      expect(await take(empty)).to.deep.equal([]);
      const scalar = normal([], 0, 1, { seed: 8 });
      expect(scalar.shape.length).to.equal(0);
      expectExact(await take(scalar), specNormal(1, 8, 0, 0, 1, false), 'scalar normal');
    });

    conformanceCase(ctx, 'random.dtype-and-no-leaks', async () => {
      await expectNoLeaks(async () => {
        const t = uniform([2, 2], 0, 1, { seed: 4 });
        expect(t.dtype).to.equal('float32');
        expect([...t.shape]).to.deep.equal([2, 2]);
        await t.data();
        t.dispose();
      });
    });
  });

  describe('errors', () => {
    conformanceCase(ctx, 'random.tfjs-positional-options', async () => {
      // TF.js order (shape, a, b, dtype, seed) draws exactly what the options object draws.
      expect(await take(randomUniform([5], -2, 2, 'float32', 9))).to.deep.equal(await take(uniform([5], -2, 2, { seed: 9 })));
      expect(await take(randomNormal([5], 1, 3, 'float32', 4))).to.deep.equal(await take(normal([5], 1, 3, { seed: 4 })));
      expect(await take(truncatedNormal([5], 0, 1, undefined, 2))).to.deep.equal(await take(truncatedNormal([5], 0, 1, { seed: 2 })));
    });

    conformanceCase(ctx, 'uniform.int32', async () => {
      const t = uniform([2000], -3, 7, 'int32', 11);
      expect(t.dtype).to.equal('int32');
      const values = await take(t);
      const expected = values.map((_v, i) => Math.floor(philoxUniform(11, 0, i, -3, 7)));
      expect(values).to.deep.equal(expected);
      expect(Math.min(...values)).to.equal(-3);
      expect(Math.max(...values)).to.equal(6);
      expectOpError(() => normal([2], 0, 1, 'int32'), 'normal', 'dtype', '"int32"');
    });

    conformanceCase(ctx, 'random.bad-seed', () => {
      expectOpError(() => uniform([2], 0, 1, { seed: -1 }), 'uniform', 'seed', '-1', 'non-negative integer');
      expectOpError(() => normal([2], 0, 1, { seed: 1.5 }), 'normal', 'seed', '1.5');
      expectOpError(() => truncatedNormal([2], 0, 1, { seed: NaN }), 'truncatedNormal', 'seed', 'NaN');
    });

    conformanceCase(ctx, 'random.bad-bounds', () => {
      expectOpError(() => uniform([2], 1, 1), 'uniform', 'maxval', '1', 'greater than minval (1)');
      expectOpError(() => uniform([2], 2, -1), 'uniform', 'maxval', '-1', 'minval (2)');
      expectOpError(() => uniform([2], 0, NaN), 'uniform', 'maxval', 'NaN');
    });

    conformanceCase(ctx, 'random.bad-stddev', () => {
      expectOpError(() => normal([2], 0, -1), 'normal', 'stddev', '-1', 'non-negative');
      expectOpError(() => truncatedNormal([2], 0, -0.5), 'truncatedNormal', 'stddev', '-0.5');
      expectOpError(() => normal([2], 0, NaN), 'normal', 'stddev', 'NaN');
    });

    conformanceCase(ctx, 'random.bad-shape', () => {
      expectOpError(() => uniform([-2]), 'uniform', 'shape', '[-2]');
      expectOpError(() => normal([2, 1.5]), 'normal', 'shape', '[2,1.5]');
    });
  });
}
