import { expect } from 'chai';
import * as core from '@strata/core';
import { grad, tensor, type Tensor, type TensorLike } from '@strata/core';
import { checkGradients, conformanceCase, expectClose, expectNoLeaks, expectTensor, type SuiteContext } from '../harness.js';
import { expectDisposed, expectOpError } from './case-helpers.js';

// References are float64 math on the float32-rounded inputs; results must agree to float32
// precision (relative 1e-5 unless a case says otherwise).

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * erf in float64 from the everywhere-convergent series
 * `erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1 * 3 * ... * (2n+1))`, whose terms are
 * all positive (no cancellation), summed until they stop changing the total.
 */
export function referenceErf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) > 6) return Math.sign(x);
  let term = x;
  let total = x;
  for (let n = 1; n < 500 && Math.abs(term) > 1e-17 * Math.abs(total); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    total += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * total;
}

const sigmoidRef = (x: number): number => 1 / (1 + Math.exp(-x));
const softplusRef = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));

/** One unary op under test. */
interface UnaryCase {
  name: string;
  fn: (x: TensorLike) => Tensor;
  ref: (x: number) => number;
  /** Golden inputs, covering the op's interesting range. */
  inputs: number[];
  /** Inputs for the finite-difference check (away from kinks); omitted for non-differentiable ops. */
  gradInputs?: number[];
  /** Looser tolerance where float32 evaluation of the function is ill-conditioned. */
  rtol?: number;
}

const op = (name: string): ((x: TensorLike) => Tensor) => (core as unknown as Record<string, (x: TensorLike) => Tensor>)[name]!;

const CASES: UnaryCase[] = [
  { name: 'neg', fn: core.neg, ref: (x) => -x, inputs: [-3, -0.5, 0, 1.25, 7], gradInputs: [-1.5, 0.3, 2] },
  { name: 'abs', fn: core.abs, ref: Math.abs, inputs: [-3, -0.5, 0, 1.25, 7], gradInputs: [-1.5, 0.3, 2] },
  { name: 'exp', fn: core.exp, ref: Math.exp, inputs: [-5, -1, 0, 0.5, 3, 20], gradInputs: [-1, 0.2, 1.5] },
  { name: 'expm1', fn: core.expm1, ref: Math.expm1, inputs: [-1, -1e-4, 1e-6, 0.5, 2], gradInputs: [-1, 0.01, 1] },
  { name: 'log', fn: core.log, ref: Math.log, inputs: [0.1, 0.5, 1, 2, 100, 1e-20], gradInputs: [0.5, 1, 2.5] },
  { name: 'log1p', fn: core.log1p, ref: Math.log1p, inputs: [-0.5, -1e-6, 1e-6, 1, 10], gradInputs: [-0.5, 0.1, 2] },
  { name: 'sqrt', fn: core.sqrt, ref: Math.sqrt, inputs: [0, 0.25, 2, 9, 100], gradInputs: [0.5, 1, 4] },
  { name: 'rsqrt', fn: core.rsqrt, ref: (x) => 1 / Math.sqrt(x), inputs: [0.25, 1, 2, 9, 100], gradInputs: [0.5, 1, 4] },
  { name: 'square', fn: core.square, ref: (x) => x * x, inputs: [-3, -0.5, 0, 1.5, 4], gradInputs: [-1.5, 0.3, 2] },
  { name: 'reciprocal', fn: core.reciprocal, ref: (x) => 1 / x, inputs: [-4, -0.5, 0.25, 1, 3], gradInputs: [-2, 0.5, 1.5] },
  { name: 'sin', fn: core.sin, ref: Math.sin, inputs: [-2, -0.5, 0, 0.7, 1.3, 10], gradInputs: [-1, 0.2, 2] },
  { name: 'cos', fn: core.cos, ref: Math.cos, inputs: [-2, -0.5, 0, 0.7, 1.3, 10], gradInputs: [-1, 0.2, 2] },
  { name: 'tan', fn: core.tan, ref: Math.tan, inputs: [-1.2, -0.5, 0, 0.7, 1.3], gradInputs: [-1, 0.2, 0.9], rtol: 2e-5 },
  { name: 'asin', fn: core.asin, ref: Math.asin, inputs: [-0.9, -0.3, 0, 0.5, 0.99], gradInputs: [-0.6, 0, 0.5] },
  { name: 'acos', fn: core.acos, ref: Math.acos, inputs: [-0.9, -0.3, 0, 0.5, 0.99], gradInputs: [-0.6, 0, 0.5] },
  { name: 'atan', fn: core.atan, ref: Math.atan, inputs: [-10, -1, 0, 0.5, 3], gradInputs: [-2, 0, 0.5] },
  { name: 'sinh', fn: core.sinh, ref: Math.sinh, inputs: [-3, -0.5, 0, 1, 2.5], gradInputs: [-1, 0.2, 1.5] },
  { name: 'cosh', fn: core.cosh, ref: Math.cosh, inputs: [-3, -0.5, 0, 1, 2.5], gradInputs: [-1, 0.2, 1.5] },
  { name: 'tanh', fn: core.tanh, ref: Math.tanh, inputs: [-5, -0.5, 0, 0.3, 2], gradInputs: [-1, 0.2, 1.5] },
  { name: 'asinh', fn: core.asinh, ref: Math.asinh, inputs: [-5, -0.5, 0, 1, 10], gradInputs: [-2, 0.2, 1.5] },
  { name: 'acosh', fn: core.acosh, ref: Math.acosh, inputs: [1, 1.5, 2, 5, 100], gradInputs: [1.5, 2, 4] },
  { name: 'atanh', fn: core.atanh, ref: Math.atanh, inputs: [-0.9, -0.3, 0, 0.5, 0.95], gradInputs: [-0.6, 0, 0.5] },
  { name: 'sigmoid', fn: core.sigmoid, ref: sigmoidRef, inputs: [-10, -1, 0, 1, 10], gradInputs: [-2, 0.2, 1.5] },
  { name: 'softplus', fn: core.softplus, ref: softplusRef, inputs: [-10, -1, 0, 1, 10], gradInputs: [-2, 0.2, 1.5] },
  { name: 'softsign', fn: core.softsign, ref: (x) => x / (1 + Math.abs(x)), inputs: [-10, -1, 0, 0.5, 4], gradInputs: [-2, 0.2, 1.5] },
  { name: 'erf', fn: core.erf, ref: referenceErf, inputs: [-3, -2, -1, -0.5, -1e-3, 0, 0.1, 0.5, 1, 2, 3, 4.5], gradInputs: [-1.2, 0, 0.5, 1.5] },
  { name: 'floor', fn: core.floor, ref: Math.floor, inputs: [-1.5, -0.5, 0.2, 1.7, 3, -3], gradInputs: [-1.4, 0.3, 1.6] },
  { name: 'ceil', fn: core.ceil, ref: Math.ceil, inputs: [-1.5, -0.5, 0.2, 1.7, 3, -3], gradInputs: [-1.4, 0.3, 1.6] },
  { name: 'round', fn: core.round, ref: roundHalfEvenRef, inputs: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.4, 0.6, -0.6, 7], gradInputs: [-1.3, 0.2, 1.7] },
  { name: 'sign', fn: core.sign, ref: Math.sign, inputs: [-3, -0.1, 0, 0.2, 5], gradInputs: [-1.5, 0.3, 2] },
  { name: 'relu', fn: core.relu, ref: (x) => Math.max(x, 0), inputs: [-2, -0.5, 0, 0.5, 3], gradInputs: [-1.5, -0.3, 0.4, 2] },
  { name: 'relu6', fn: core.relu6, ref: (x) => Math.min(Math.max(x, 0), 6), inputs: [-1, 0, 3, 6, 7.5], gradInputs: [-1, 0.5, 3, 7] },
  {
    name: 'selu', fn: core.selu, ref: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
    inputs: [-3, -0.5, 0, 0.5, 2], gradInputs: [-1.5, -0.3, 0.4, 2],
  },
  { name: 'gelu', fn: core.gelu, ref: (x) => 0.5 * x * (1 + referenceErf(x / Math.SQRT2)), inputs: [-3, -1, -0.1, 0, 0.5, 1, 3], gradInputs: [-2, -0.3, 0.5, 1.5] },
  { name: 'swish', fn: core.swish, ref: (x) => x * sigmoidRef(x), inputs: [-5, -1, 0, 1, 5], gradInputs: [-2, -0.3, 0.5, 1.5] },
  { name: 'mish', fn: core.mish, ref: (x) => x * Math.tanh(softplusRef(x)), inputs: [-5, -1, 0, 1, 5], gradInputs: [-2, -0.3, 0.5, 1.5] },
  { name: 'elu', fn: core.elu, ref: (x) => (x > 0 ? x : Math.expm1(x)), inputs: [-3, -0.5, 0, 0.5, 2], gradInputs: [-1.5, -0.3, 0.4, 2] },
  { name: 'leakyRelu', fn: core.leakyRelu, ref: (x) => (x > 0 ? x : 0.2 * x), inputs: [-3, -0.5, 0, 0.5, 2], gradInputs: [-1.5, -0.3, 0.4, 2] },
  {
    name: 'hardSigmoid', fn: core.hardSigmoid, ref: (x) => Math.max(0, Math.min(1, 0.2 * x + 0.5)),
    inputs: [-5, -2.5, 0, 1, 2.5, 4], gradInputs: [-3, -1, 0.5, 2, 3],
  },
];

/** Half-to-even rounding, computed independently of the engine's. */
function roundHalfEvenRef(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** float64 reference values on the float32-rounded inputs. */
function reference(values: readonly number[], ref: (x: number) => number): number[] {
  return Array.from(Float32Array.from(values), (v) => ref(v));
}

/**
 * Cases for every unary op: golden values against float64 references, special values (NaN,
 * ±Infinity, ±0, overflow), int32 and bool behaviour, size-0 and scalar inputs, a finite-difference
 * gradient check for each differentiable op, and leak checks.
 *
 * @example
 * describe('unary', () => unaryCases(ctx));
 */
export function unaryCases(ctx: SuiteContext): void {
  describe('golden values', () => {
    for (const c of CASES) {
      conformanceCase(ctx, `${c.name}.golden`, async () => {
        const x = tensor(c.inputs, [c.inputs.length]);
        await expectDisposed(c.fn(x), reference(c.inputs, c.ref), { shape: [c.inputs.length], dtype: 'float32', rtol: c.rtol ?? 1e-5, atol: 1e-6 });
        // Rank-2 layout and a plain-array argument give the same numbers.
        const x2 = tensor(c.inputs.slice(0, 4), [2, 2]);
        await expectDisposed(c.fn(x2), reference(c.inputs.slice(0, 4), c.ref), { shape: [2, 2], rtol: c.rtol ?? 1e-5, atol: 1e-6 });
        await expectDisposed(c.fn(c.inputs), reference(c.inputs, c.ref), { shape: [c.inputs.length], rtol: c.rtol ?? 1e-5, atol: 1e-6 });
        x.dispose();
        x2.dispose();
      });
    }

    conformanceCase(ctx, 'erf.known-values', async () => {
      // Published values (Abramowitz & Stegun table 7.1 to 16 digits).
      const inputs = [0.5, -1, 2, 1, 0];
      const expected = [0.5204998778130465, -0.8427007929497149, 0.9953222650189527, 0.8427007929497149, 0];
      expectClose(inputs.map(referenceErf), expected, { atol: 1e-15, rtol: 1e-14 }, 'series reference');
      await expectDisposed(core.erf(inputs), expected, { rtol: 1e-6, atol: 1e-7 });
      // Near zero erf(x) ~ 2x/sqrt(pi): relative accuracy must hold there too.
      await expectDisposed(core.erf([1e-6, -3e-5]), [1.1283791670955126e-6, -3.3851375012865377e-5], { rtol: 1e-5, atol: 0 });
    });

    conformanceCase(ctx, 'elu.alpha', async () => {
      const xs = [-2, -0.5, 0, 1.5];
      await expectDisposed(core.elu(xs, 0.5), reference(xs, (x) => (x > 0 ? x : 0.5 * Math.expm1(x))));
    });

    conformanceCase(ctx, 'leakyRelu.alpha', async () => {
      await expectDisposed(core.leakyRelu([-1, -0.5, 0, 2], 0.1), [-0.1, -0.05, 0, 2]);
    });

    conformanceCase(ctx, 'hardSigmoid.alpha-beta', async () => {
      const xs = [-4, -1, 0, 1, 4];
      await expectDisposed(core.hardSigmoid(xs, 0.25, 0.4), reference(xs, (x) => Math.max(0, Math.min(1, 0.25 * x + 0.4))));
    });

    conformanceCase(ctx, 'clip.golden', async () => {
      await expectDisposed(core.clip([-2, -0.5, 0.25, 1, 3], -0.5, 1), [-0.5, -0.5, 0.25, 1, 1], { dtype: 'float32' });
      await expectDisposed(core.clip([-2, 5], 1, 1), [1, 1]);
      await expectDisposed(core.clipByValue([[-3, 3]], -1, 2), [[-1, 2]], { shape: [1, 2] });
      await expectDisposed(core.clip([NaN, -Infinity, Infinity], -1, 1), [NaN, -1, 1]);
    });

    conformanceCase(ctx, 'clip.errors', () => {
      expectOpError(() => core.clip([1], 2, 1), 'clip', 'min/max', '2, 1');
      expectOpError(() => core.clip([1], 0, NaN), 'clip', 'min/max', 'NaN');
      expectOpError(() => core.clip([1], '0' as never, 1), 'clip', 'min/max');
    });

    conformanceCase(ctx, 'predicates.golden', async () => {
      const xs = [NaN, Infinity, -Infinity, 0, -1.5, 3e38];
      await expectDisposed(core.isNaN(xs), [1, 0, 0, 0, 0, 0], { dtype: 'bool', shape: [6] });
      await expectDisposed(core.isInf(xs), [0, 1, 1, 0, 0, 0], { dtype: 'bool' });
      await expectDisposed(core.isFinite(xs), [0, 0, 0, 1, 1, 1], { dtype: 'bool' });
    });

    conformanceCase(ctx, 'logicalNot.golden', async () => {
      await expectDisposed(core.logicalNot([true, false, true]), [0, 1, 0], { dtype: 'bool' });
      // Non-bool inputs are compared with zero first (NaN is nonzero, so true, so not-true).
      await expectDisposed(core.logicalNot([0, 2, -1, 0.5, NaN]), [1, 0, 0, 0, 0], { dtype: 'bool' });
      await expectDisposed(core.logicalNot(tensor([0, 7], [2], 'int32')), [1, 0], { dtype: 'bool' });
    });
  });

  describe('special values', () => {
    conformanceCase(ctx, 'unary.nan-propagates', async () => {
      for (const c of CASES) {
        await expectDisposed(c.fn([NaN]), [NaN], { dtype: 'float32' }).catch((e: Error) => {
          throw new Error(`${c.name}(NaN): ${e.message}`);
        });
      }
    });

    conformanceCase(ctx, 'unary.infinities', async () => {
      const expectations: [string, number[]][] = [
        ['neg', [-Infinity, Infinity]],
        ['abs', [Infinity, Infinity]],
        ['exp', [Infinity, 0]],
        ['expm1', [Infinity, -1]],
        ['sqrt', [Infinity, NaN]],
        ['rsqrt', [0, NaN]],
        ['square', [Infinity, Infinity]],
        ['reciprocal', [0, -0]],
        ['atan', [Math.PI / 2, -Math.PI / 2]],
        ['sinh', [Infinity, -Infinity]],
        ['cosh', [Infinity, Infinity]],
        ['tanh', [1, -1]],
        ['asinh', [Infinity, -Infinity]],
        ['sigmoid', [1, 0]],
        ['softplus', [Infinity, 0]],
        ['erf', [1, -1]],
        ['floor', [Infinity, -Infinity]],
        ['ceil', [Infinity, -Infinity]],
        ['round', [Infinity, -Infinity]],
        ['sign', [1, -1]],
        ['relu', [Infinity, 0]],
        ['relu6', [6, 0]],
        ['elu', [Infinity, -1]],
        ['selu', [Infinity, -SELU_SCALE * SELU_ALPHA]],
        ['leakyRelu', [Infinity, -Infinity]],
        ['hardSigmoid', [1, 0]],
        ['swish', [Infinity, 0]],
        ['mish', [Infinity, 0]],
        ['sin', [NaN, NaN]],
        ['log', [Infinity, NaN]],
      ];
      for (const [name, expected] of expectations) {
        await expectDisposed(op(name)([Infinity, -Infinity]), expected).catch((e: Error) => {
          throw new Error(`${name}(±Infinity): ${e.message}`);
        });
      }
    });

    conformanceCase(ctx, 'softsign.infinities', async () => {
      // The limits of x / (1 + |x|); evaluating the formula literally gives Infinity / Infinity = NaN.
      await expectDisposed(core.softsign([Infinity, -Infinity, 1e30]), [1, -1, 1]);
    });

    conformanceCase(ctx, 'unary.domain-edges', async () => {
      await expectDisposed(core.log([0, -0, -1]), [-Infinity, -Infinity, NaN]);
      await expectDisposed(core.log1p([-1, -2]), [-Infinity, NaN]);
      await expectDisposed(core.sqrt([-1, 0]), [NaN, 0]);
      await expectDisposed(core.rsqrt([0, -1]), [Infinity, NaN]);
      await expectDisposed(core.reciprocal([0, -0]), [Infinity, -Infinity]);
      await expectDisposed(core.asin([1.5, -1]), [NaN, -Math.PI / 2]);
      await expectDisposed(core.acos([-1, 2]), [Math.PI, NaN]);
      await expectDisposed(core.acosh([0.5, 1]), [NaN, 0]);
      await expectDisposed(core.atanh([1, -1, 2]), [Infinity, -Infinity, NaN]);
      await expectDisposed(core.sign([0, -0]), [0, 0]);
    });

    conformanceCase(ctx, 'unary.signed-zero', async () => {
      const neg0 = core.neg([0]);
      expect(Object.is((await neg0.data())[0], -0), 'neg(0) is -0').to.equal(true);
      neg0.dispose();
      const sq = core.sqrt([-0]);
      expect(Object.is((await sq.data())[0], -0), 'sqrt(-0) is -0').to.equal(true);
      sq.dispose();
    });

    conformanceCase(ctx, 'unary.large-magnitudes', async () => {
      // Stable formulations: no NaN from exp overflow, and float32 overflow gives Infinity.
      await expectDisposed(core.sigmoid([1000, -1000, 88, -88]), [1, 0, 1, sigmoidRef(-88)], { atol: 1e-30 });
      await expectDisposed(core.softplus([1000, -1000, 50]), [1000, 0, 50]);
      await expectDisposed(core.tanh([1000, -1000]), [1, -1]);
      await expectDisposed(core.exp([100, -200]), [Infinity, 0]);
      await expectDisposed(core.swish([-1000, 1000]), [0, 1000]);
      await expectDisposed(core.mish([-1000, 1000]), [0, 1000]);
      await expectDisposed(core.gelu([-10, 10]), [0, 10], { atol: 1e-20 });
      await expectDisposed(core.elu([-1000]), [-1]);
      await expectDisposed(core.cosh([100]), [Infinity]);
    });

    conformanceCase(ctx, 'round.half-to-even', async () => {
      await expectDisposed(core.round([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 4.5, 2.4999, 2.5001]), [0, 2, 2, 4, 0, -2, -2, 4, 2, 3]);
    });
  });

  describe('dtypes and shapes', () => {
    conformanceCase(ctx, 'unary.int32-preserving', async () => {
      const x = tensor([-3, 0, 5, 8], [4], 'int32');
      await expectDisposed(core.neg(x), [3, 0, -5, -8], { dtype: 'int32' });
      await expectDisposed(core.abs(x), [3, 0, 5, 8], { dtype: 'int32' });
      await expectDisposed(core.square(x), [9, 0, 25, 64], { dtype: 'int32' });
      await expectDisposed(core.sign(x), [-1, 0, 1, 1], { dtype: 'int32' });
      await expectDisposed(core.relu(x), [0, 0, 5, 8], { dtype: 'int32' });
      await expectDisposed(core.relu6(x), [0, 0, 5, 6], { dtype: 'int32' });
      await expectDisposed(core.floor(x), [-3, 0, 5, 8], { dtype: 'int32' });
      await expectDisposed(core.ceil(x), [-3, 0, 5, 8], { dtype: 'int32' });
      await expectDisposed(core.round(x), [-3, 0, 5, 8], { dtype: 'int32' });
      await expectDisposed(core.clip(x, -1, 6), [-1, 0, 5, 6], { dtype: 'int32' });
      // Exact beyond float32's 24-bit mantissa.
      await expectDisposed(core.square(tensor([40000], [1], 'int32')), [1600000000], { dtype: 'int32' });
      await expectDisposed(core.neg(tensor([16777217], [1], 'int32')), [-16777217], { dtype: 'int32' });
      x.dispose();
    });

    conformanceCase(ctx, 'unary.int32-promoted', async () => {
      const x = tensor([0, 1, 4], [3], 'int32');
      await expectDisposed(core.exp(x), reference([0, 1, 4], Math.exp), { dtype: 'float32' });
      await expectDisposed(core.sqrt(x), [0, 1, 2], { dtype: 'float32' });
      await expectDisposed(core.sigmoid(x), reference([0, 1, 4], sigmoidRef), { dtype: 'float32' });
      await expectDisposed(core.reciprocal(x), [Infinity, 1, 0.25], { dtype: 'float32' });
      await expectDisposed(core.isNaN(x), [0, 0, 0], { dtype: 'bool' });
      await expectDisposed(core.isFinite(x), [1, 1, 1], { dtype: 'bool' });
      x.dispose();
    });

    conformanceCase(ctx, 'unary.bool-refused', async () => {
      const b = tensor([true, false]);
      await expectNoLeaks(() => {
        for (const name of ['neg', 'exp', 'relu', 'sigmoid', 'abs', 'round', 'sqrt']) {
          expectOpError(() => op(name)(b), name, 'x', 'dtype bool', 'cast it first');
        }
        expectOpError(() => core.elu([true]), 'elu', 'x', 'dtype bool');
      });
      // Predicates accept bool: a bool is never NaN or infinite.
      await expectDisposed(core.isNaN(b), [0, 0], { dtype: 'bool' });
      await expectDisposed(core.isFinite(b), [1, 1], { dtype: 'bool' });
      b.dispose();
    });

    conformanceCase(ctx, 'unary.size-zero-and-scalar', async () => {
      const empty = core.zeros([0, 3]);
      for (const c of CASES) {
        await expectDisposed(c.fn(empty), [], { shape: [0, 3], dtype: 'float32' });
        const v = c.inputs[1]!;
        await expectDisposed(c.fn(v), reference([v], c.ref), { shape: [], rtol: c.rtol ?? 1e-5, atol: 1e-6 });
      }
      empty.dispose();
    });
  });

  describe('gradients', () => {
    for (const c of CASES) {
      if (!c.gradInputs) continue;
      conformanceCase(ctx, `${c.name}.gradient`, async () => {
        const x = tensor(c.gradInputs!);
        await checkGradients((t) => c.fn(t), [x]);
        x.dispose();
      });
    }

    conformanceCase(ctx, 'elu.gradient-alpha', async () => {
      const x = tensor([-1.5, -0.3, 0.4, 2]);
      await checkGradients((t) => core.elu(t, 0.7), [x]);
      x.dispose();
    });

    conformanceCase(ctx, 'leakyRelu.gradient-alpha', async () => {
      const x = tensor([-1.5, -0.3, 0.4, 2]);
      await checkGradients((t) => core.leakyRelu(t, 0.05), [x]);
      x.dispose();
    });

    conformanceCase(ctx, 'hardSigmoid.gradient-alpha-beta', async () => {
      const x = tensor([-3, -1, 0.5, 1.5, 3]);
      await checkGradients((t) => core.hardSigmoid(t, 0.3, 0.4), [x]);
      x.dispose();
    });

    conformanceCase(ctx, 'clip.gradient', async () => {
      // Inside the bounds the gradient is 1, outside 0.
      const x = tensor([-2, -0.5, 0.3, 1.5, 0.9]);
      await checkGradients((t) => core.clip(t, -1, 1), [x]);
      const g = grad((t) => core.clip(t, -1, 1))(x);
      await expectTensor(g, [0, 1, 1, 0, 1]);
      g.dispose();
      x.dispose();
    });

    conformanceCase(ctx, 'unary.gradient-exact-values', async () => {
      const x = tensor([0.5, 2]);
      const checks: [(t: Tensor) => Tensor, number[]][] = [
        [core.log, [2, 0.5]],
        [core.sqrt, [1 / (2 * Math.sqrt(0.5)), 1 / (2 * Math.SQRT2)]],
        [core.sigmoid, [sigmoidRef(0.5) * (1 - sigmoidRef(0.5)), sigmoidRef(2) * (1 - sigmoidRef(2))]],
        [core.erf, [(2 / Math.sqrt(Math.PI)) * Math.exp(-0.25), (2 / Math.sqrt(Math.PI)) * Math.exp(-4)]],
        [core.relu, [1, 1]],
        [core.floor, [0, 0]],
      ];
      for (const [fn, expected] of checks) {
        const g = grad(fn)(x);
        await expectDisposed(g, expected, { shape: [2], dtype: 'float32' });
      }
      x.dispose();
    });

    conformanceCase(ctx, 'unary.gradient-of-predicates-is-zero', async () => {
      const x = tensor([0.5, NaN]);
      for (const fn of [core.isNaN, core.isInf, core.isFinite, core.logicalNot]) {
        const g = grad((t) => core.cast(fn(t), 'float32'))(x);
        await expectDisposed(g, [0, 0], { shape: [2], dtype: 'float32' });
      }
      x.dispose();
    });

    conformanceCase(ctx, 'unary.no-leaks', async () => {
      const x = tensor([0.3, 0.6]);
      await expectNoLeaks(async () => {
        for (const c of CASES) {
          const y = c.fn(x);
          await y.data();
          y.dispose();
          const g = grad((t) => c.fn(t))(x);
          await g.data();
          g.dispose();
        }
        const p = core.isNaN([1, 2]);
        p.dispose();
      });
      x.dispose();
    });
  });
}
