import { expect } from 'chai';
import * as core from '@strata/core';
import { grads, tensor, type DType, type Tensor, type TensorLike } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, randomValues, type SuiteContext } from '../harness.js';
import { expectDisposed, expectOpError } from './case-helpers.js';

type BinaryFn = (a: TensorLike, b: TensorLike) => Tensor;

/** Python/NumPy remainder: the sign of the divisor. */
const floorModRef = (a: number, b: number): number => a - Math.floor(a / b) * b;

/** One binary op under test, with the inputs its golden cases draw from. */
interface BinaryCase {
  name: string;
  fn: BinaryFn;
  ref: (a: number, b: number) => number;
  /** Output dtype for float32 operands. */
  outDType: DType;
  /** Values a and b are drawn from (cycled), chosen to hit the op's interesting cases. */
  aValues: number[];
  bValues: number[];
  /** Operand dtype (logical ops are tested on bools). */
  inDType?: DType;
}

const bin = (name: string): BinaryFn => (core as unknown as Record<string, BinaryFn>)[name]!;

const MIXED = [-2.5, -1, 0, 0.5, 1, 3];
const NONZERO = [-2, -0.75, 0.5, 1.5, 3, 4];
/** Small integers, so comparisons meet equal operands. */
const SMALL_INTS = [-1, 0, 1, 2];

const CASES: BinaryCase[] = [
  { name: 'add', fn: core.add, ref: (a, b) => a + b, outDType: 'float32', aValues: MIXED, bValues: NONZERO },
  { name: 'sub', fn: core.sub, ref: (a, b) => a - b, outDType: 'float32', aValues: MIXED, bValues: NONZERO },
  { name: 'mul', fn: core.mul, ref: (a, b) => a * b, outDType: 'float32', aValues: MIXED, bValues: NONZERO },
  { name: 'div', fn: core.div, ref: (a, b) => a / b, outDType: 'float32', aValues: MIXED, bValues: NONZERO },
  { name: 'floorDiv', fn: core.floorDiv, ref: (a, b) => Math.floor(a / b), outDType: 'float32', aValues: [-7, -2.5, 0, 3.5, 7, 9], bValues: NONZERO },
  { name: 'mod', fn: core.mod, ref: floorModRef, outDType: 'float32', aValues: [-7, -2.5, 0, 3.5, 7, 9], bValues: NONZERO },
  { name: 'pow', fn: core.pow, ref: Math.pow, outDType: 'float32', aValues: [0.5, 1, 1.5, 2, 3, 0.25], bValues: [-1, 0, 0.5, 2, 3, -2.5] },
  { name: 'maximum', fn: core.maximum, ref: Math.max, outDType: 'float32', aValues: MIXED, bValues: SMALL_INTS },
  { name: 'minimum', fn: core.minimum, ref: Math.min, outDType: 'float32', aValues: MIXED, bValues: SMALL_INTS },
  { name: 'squaredDifference', fn: core.squaredDifference, ref: (a, b) => (a - b) ** 2, outDType: 'float32', aValues: MIXED, bValues: NONZERO },
  { name: 'atan2', fn: core.atan2, ref: Math.atan2, outDType: 'float32', aValues: MIXED, bValues: [-2, -0.5, 0, 1, 2] },
  { name: 'equal', fn: core.equal, ref: (a, b) => Number(a === b), outDType: 'bool', aValues: SMALL_INTS, bValues: [0, 1, 2] },
  { name: 'notEqual', fn: core.notEqual, ref: (a, b) => Number(a !== b), outDType: 'bool', aValues: SMALL_INTS, bValues: [0, 1, 2] },
  { name: 'less', fn: core.less, ref: (a, b) => Number(a < b), outDType: 'bool', aValues: SMALL_INTS, bValues: [0, 1, 2] },
  { name: 'lessEqual', fn: core.lessEqual, ref: (a, b) => Number(a <= b), outDType: 'bool', aValues: SMALL_INTS, bValues: [0, 1, 2] },
  { name: 'greater', fn: core.greater, ref: (a, b) => Number(a > b), outDType: 'bool', aValues: SMALL_INTS, bValues: [0, 1, 2] },
  { name: 'greaterEqual', fn: core.greaterEqual, ref: (a, b) => Number(a >= b), outDType: 'bool', aValues: SMALL_INTS, bValues: [0, 1, 2] },
  { name: 'logicalAnd', fn: core.logicalAnd, ref: (a, b) => Number(a !== 0 && b !== 0), outDType: 'bool', aValues: [1, 0, 1, 1, 0], bValues: [1, 0, 0], inDType: 'bool' },
  { name: 'logicalOr', fn: core.logicalOr, ref: (a, b) => Number(a !== 0 || b !== 0), outDType: 'bool', aValues: [1, 0, 1, 1, 0], bValues: [1, 0, 0], inDType: 'bool' },
  { name: 'logicalXor', fn: core.logicalXor, ref: (a, b) => Number((a !== 0) !== (b !== 0)), outDType: 'bool', aValues: [1, 0, 1, 1, 0], bValues: [1, 0, 0], inDType: 'bool' },
];

/** NumPy broadcasting in the test's own terms: the output shape, or null when incompatible. */
function broadcastRef(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)]!;
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)]!;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Reference elementwise result: for each output index, the operands' elements at the broadcast index. */
function elementwiseRef(
  av: ArrayLike<number>, as: readonly number[], bv: ArrayLike<number>, bs: readonly number[],
  f: (a: number, b: number) => number,
): { shape: number[]; values: number[] } {
  const shape = broadcastRef(as, bs)!;
  const size = shape.reduce((n, d) => n * d, 1);
  const values: number[] = [];
  const offset = (src: readonly number[], idx: number[]): number => {
    let o = 0;
    const lead = shape.length - src.length;
    for (let d = 0; d < src.length; d++) o = o * src[d]! + (src[d] === 1 ? 0 : idx[d + lead]!);
    return o;
  };
  for (let flat = 0; flat < size; flat++) {
    const idx: number[] = new Array(shape.length);
    let r = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = r % shape[d]!;
      r = Math.floor(r / shape[d]!);
    }
    values.push(f(av[offset(as, idx)]!, bv[offset(bs, idx)]!));
  }
  return { shape, values };
}

/** `n` values cycled from `pool`, as the dtype stores them (float32-rounded for float32). */
function cycle(pool: readonly number[], n: number, dtype: DType): number[] {
  const out = Array.from({ length: n }, (_, i) => pool[(i * 5 + 1) % pool.length]!);
  return dtype === 'float32' ? Array.from(Float32Array.from(out)) : out;
}

/** Shape pairs every op runs on: equal shapes, NumPy broadcasts, rank 0, size 0. */
const SHAPE_PAIRS: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[2, 1], [1, 3]],
  [[4, 1, 3], [2, 1]],
  [[3], []],
  [[], [2, 2]],
  [[], []],
  [[1, 1], [3]],
  [[0, 3], [3]],
  [[2, 0], [2, 1]],
  [[1], [0]],
];

const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

async function runGolden(c: BinaryCase, aShape: number[], bShape: number[]): Promise<void> {
  const dtype = c.inDType ?? 'float32';
  const av = cycle(c.aValues, sizeOf(aShape), dtype);
  const bv = cycle(c.bValues.slice().reverse(), sizeOf(bShape), dtype);
  const a = tensor(av, aShape, dtype);
  const b = tensor(bv, bShape, dtype);
  const { shape, values } = elementwiseRef(av, aShape, bv, bShape, c.ref);
  try {
    await expectDisposed(c.fn(a, b), values, { shape, dtype: c.outDType, atol: 1e-6 });
  } catch (e) {
    throw new Error(`${c.name}(${JSON.stringify(aShape)}, ${JSON.stringify(bShape)}): ${(e as Error).message}`);
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** Gradient-check inputs per differentiable op: values away from ties, kinks and poles. */
const GRAD_INPUTS: Record<string, { a: number[]; b: number[] }> = {
  add: { a: [0.3, -1.2, 2], b: [1, -0.5, 0.7] },
  sub: { a: [0.3, -1.2, 2], b: [1, -0.5, 0.7] },
  mul: { a: [0.3, -1.2, 2], b: [1, -0.5, 0.7] },
  div: { a: [0.3, -1.2, 2], b: [1.5, -0.8, 0.7] },
  pow: { a: [0.5, 1.2, 2], b: [1.5, -0.8, 2.2] },
  maximum: { a: [0.3, -1.2, 2], b: [1, -0.5, 0.7] },
  minimum: { a: [0.3, -1.2, 2], b: [1, -0.5, 0.7] },
  squaredDifference: { a: [0.3, -1.2, 2], b: [1, -0.5, 0.7] },
  atan2: { a: [0.3, -1.2, 2], b: [1, -0.5, -0.7] },
  // a / b stays at least 0.1 from an integer, so floor(a / b) is constant within eps.
  mod: { a: [2.3, -1.7, 3.4], b: [1.5, 0.8, -1.3] },
};

/**
 * Cases for every binary op: golden values under NumPy broadcasting (including rank-0 and size-0
 * operands), the incompatible-shapes error, dtype promotion, integer semantics (floor division,
 * the divisor's sign for mod, exact int32 pow), NaN handling, atan2 quadrants, and finite-
 * difference gradients, also through broadcasting.
 *
 * @example
 * describe('binary', () => binaryCases(ctx));
 */
export function binaryCases(ctx: SuiteContext): void {
  describe('golden values and broadcasting', () => {
    for (const c of CASES) {
      conformanceCase(ctx, `${c.name}.broadcast`, async () => {
        for (const [aShape, bShape] of SHAPE_PAIRS) await runGolden(c, aShape, bShape);
      });
    }

    conformanceCase(ctx, 'binary.broadcast-shapes', async () => {
      const cases: [number[], number[], number[]][] = [
        [[2, 3], [3], [2, 3]],
        [[2, 1], [1, 3], [2, 3]],
        [[4, 1, 3], [2, 1], [4, 2, 3]],
        [[5, 1, 1], [1, 4, 1], [5, 4, 1]],
        [[0, 3], [3], [0, 3]],
        [[2, 0], [2, 1], [2, 0]],
        [[], [0], [0]],
        [[1, 0], [3, 1], [3, 0]],
      ];
      for (const [as, bs, out] of cases) {
        const a = core.ones(as);
        const b = core.ones(bs);
        const y = core.add(a, b);
        expect([...y.shape], `${JSON.stringify(as)} + ${JSON.stringify(bs)}`).to.deep.equal(out);
        [a, b, y].forEach((t) => t.dispose());
      }
    });

    conformanceCase(ctx, 'binary.scalars-and-plain-values', async () => {
      const x = tensor([[1, 2], [3, 4]]);
      await expectDisposed(core.add(x, 10), [[11, 12], [13, 14]], { shape: [2, 2], dtype: 'float32' });
      await expectDisposed(core.sub(10, x), [[9, 8], [7, 6]], { shape: [2, 2] });
      const two = tensor(2);
      await expectDisposed(core.mul(x, two), [[2, 4], [6, 8]], { shape: [2, 2] });
      two.dispose();
      await expectDisposed(core.div([1, 2], [4, 8]), [0.25, 0.25], { shape: [2] });
      await expectDisposed(core.add(1, 2), [3], { shape: [] });
      x.dispose();
    });

    conformanceCase(ctx, 'binary.incompatible-shapes', async () => {
      const a = core.ones([2, 3]);
      const b = core.ones([4]);
      await expectNoLeaks(() => {
        for (const c of CASES) expectOpError(() => c.fn(a, b), c.name, 'b', 'shapes [2, 3] and [4]', 'broadcast');
        const a3 = [[[0, 0, 0]], [[0, 0, 0]]];
        const b2 = [[0, 0], [0, 0], [0, 0], [0, 0]];
        expectOpError(() => core.mul(a3, b2), 'mul', 'b', '[2, 1, 3]', '[4, 2]', '3 vs 2');
      });
      a.dispose();
      b.dispose();
    });
  });

  describe('dtypes', () => {
    conformanceCase(ctx, 'binary.int-float-promotion', async () => {
      const i = tensor([1, 2, 3], [3], 'int32');
      const f = tensor([0.5, 0.25, -1]);
      await expectDisposed(core.add(i, f), [1.5, 2.25, 2], { dtype: 'float32' });
      await expectDisposed(core.mul(f, i), [0.5, 0.5, -3], { dtype: 'float32' });
      await expectDisposed(core.div(i, f), [2, 8, -3], { dtype: 'float32' });
      // A plain number takes the tensor's dtype, on either side.
      await expectDisposed(core.add(i, 1), [2, 3, 4], { dtype: 'int32' });
      await expectDisposed(core.sub(10, i), [9, 8, 7], { dtype: 'int32' });
      await expectDisposed(core.mul(f, 2), [1, 0.5, -2], { dtype: 'float32' });
      const ones = tensor([1, 1, 1], [3], 'int32');
      await expectDisposed(core.add(i, ones), [2, 3, 4], { dtype: 'int32' });
      // atan2 is float-only.
      await expectDisposed(core.atan2(i, ones), [Math.atan2(1, 1), Math.atan2(2, 1), Math.atan2(3, 1)], { dtype: 'float32' });
      i.dispose();
      ones.dispose();
      f.dispose();
    });

    conformanceCase(ctx, 'binary.bool-arithmetic', async () => {
      const t = tensor([true, true, false, false]);
      const u = tensor([true, false, true, false]);
      await expectDisposed(core.add(t, u), [2, 1, 1, 0], { dtype: 'int32' });
      await expectDisposed(core.sub(t, u), [0, 1, -1, 0], { dtype: 'int32' });
      await expectDisposed(core.mul(t, u), [1, 0, 0, 0], { dtype: 'int32' });
      await expectDisposed(core.maximum(t, u), [1, 1, 1, 0], { dtype: 'int32' });
      await expectDisposed(core.add(t, [0.5, 0.5, 0.5, 0.5]), [1.5, 1.5, 0.5, 0.5], { dtype: 'float32' });
      const twos = tensor([2, 2, 2, 2], [4], 'int32');
      await expectDisposed(core.add(t, twos), [3, 3, 2, 2], { dtype: 'int32' });
      twos.dispose();
      t.dispose();
      u.dispose();
    });

    conformanceCase(ctx, 'binary.comparisons-give-bool', async () => {
      const i = tensor([1, 2, 3], [3], 'int32');
      await expectDisposed(core.less(i, [1.5, 1.5, 3.5]), [1, 0, 1], { dtype: 'bool' });
      await expectDisposed(core.equal(i, 2), [0, 1, 0], { dtype: 'bool' });
      await expectDisposed(core.greaterEqual(2, i), [1, 1, 0], { dtype: 'bool' });
      await expectDisposed(core.equal([true, false], [true, true]), [1, 0], { dtype: 'bool' });
      await expectDisposed(core.notEqual([true, false], [true, true]), [0, 1], { dtype: 'bool' });
      // NaN compares unequal to everything, itself included.
      await expectDisposed(core.equal([NaN, 1], [NaN, NaN]), [0, 0], { dtype: 'bool' });
      await expectDisposed(core.notEqual([NaN, 1], [NaN, 1]), [1, 0], { dtype: 'bool' });
      await expectDisposed(core.less([NaN, 1], [1, NaN]), [0, 0], { dtype: 'bool' });
      await expectDisposed(core.greaterEqual([NaN], [NaN]), [0], { dtype: 'bool' });
      await expectDisposed(core.less([-Infinity, 0], [Infinity, -0]), [1, 0], { dtype: 'bool' });
      i.dispose();
    });

    conformanceCase(ctx, 'binary.logical-give-bool', async () => {
      // Numeric operands are compared with zero first.
      await expectDisposed(core.logicalAnd([0, 2, -1, 0.5], [1, 0, 3, 0.25]), [0, 0, 1, 1], { dtype: 'bool' });
      const ints = tensor([0, 0, 4], [3], 'int32');
      await expectDisposed(core.logicalOr(ints, [false, true, false]), [0, 1, 1], { dtype: 'bool' });
      ints.dispose();
      await expectDisposed(core.logicalXor([[true], [false]], [true, false]), [[0, 1], [1, 0]], { dtype: 'bool', shape: [2, 2] });
    });
  });

  describe('integer and special-value semantics', () => {
    conformanceCase(ctx, 'div.int32-floors', async () => {
      const a = tensor([-7, 7, -7, 7, 6, 0], [6], 'int32');
      const b = tensor([2, 2, -2, -2, 3, 5], [6], 'int32');
      await expectDisposed(core.div(a, b), [-4, 3, 3, -4, 2, 0], { dtype: 'int32' });
      await expectDisposed(core.floorDiv(a, b), [-4, 3, 3, -4, 2, 0], { dtype: 'int32' });
      await expectDisposed(core.div(a, 2), [-4, 3, -4, 3, 3, 0], { dtype: 'int32' });
      a.dispose();
      b.dispose();
    });

    conformanceCase(ctx, 'floorDiv.float', async () => {
      await expectDisposed(core.floorDiv([-7.5, 7, 7.5, -0.5, 6], [2, -2, 2.5, 4, 3]), [-4, -4, 3, -1, 2], { dtype: 'float32' });
    });

    conformanceCase(ctx, 'mod.sign-of-divisor', async () => {
      const a = tensor([-7, 7, 7, -7, 6, 0], [6], 'int32');
      const b = tensor([3, -3, 3, -3, 3, -4], [6], 'int32');
      await expectDisposed(core.mod(a, b), [2, -2, 1, -1, 0, 0], { dtype: 'int32' });
      await expectDisposed(core.mod([-7, 7, -7.5, 7.5, 5.5, -0.25], [3, -3, 2, -2, 2, 1]), [2, -2, 0.5, -0.5, 1.5, 0.75], { dtype: 'float32' });
      a.dispose();
      b.dispose();
    });

    conformanceCase(ctx, 'pow.int32-exact', async () => {
      const a = tensor([2, 3, -2, -3, 5, 3, 0], [7], 'int32');
      const b = tensor([10, 3, 3, 2, 0, 19, 0], [7], 'int32');
      // 3^19 = 1162261467 needs 31 bits; float32 would round it to 1162261504.
      await expectDisposed(core.pow(a, b), [1024, 27, -8, 9, 1, 1162261467, 1], { dtype: 'int32' });
      a.dispose();
      b.dispose();
    });

    conformanceCase(ctx, 'pow.float-special-cases', async () => {
      await expectDisposed(core.pow([-2, -2, -0.5, 2, 0, 0, 4], [3, 2, -1, -1, 0, 2, 0.5]), [-8, 4, -2, 0.5, 1, 0, 2]);
      // A negative base with a non-integer exponent has no real value.
      await expectDisposed(core.pow([-8, -1], [1 / 3, 0.5]), [NaN, NaN]);
      await expectDisposed(core.pow([0, 2], [-1, -Infinity]), [Infinity, 0]);
    });

    conformanceCase(ctx, 'maximum-minimum.nan', async () => {
      await expectDisposed(core.maximum([NaN, 1, 2, -Infinity], [1, NaN, 1, -1]), [NaN, NaN, 2, -1]);
      await expectDisposed(core.minimum([NaN, 1, 2, Infinity], [1, NaN, 1, 3]), [NaN, NaN, 1, 3]);
      const i = tensor([-5, 5], [2], 'int32');
      await expectDisposed(core.maximum(i, 0), [0, 5], { dtype: 'int32' });
      await expectDisposed(core.minimum(i, 0), [-5, 0], { dtype: 'int32' });
      i.dispose();
    });

    conformanceCase(ctx, 'atan2.quadrants', async () => {
      const y = [1, 1, -1, -1, 0, 1, -1, 0, 0];
      const x = [1, -1, -1, 1, -1, 0, 0, 0, 2];
      const pi = Math.PI;
      await expectDisposed(core.atan2(y, x), [pi / 4, (3 * pi) / 4, (-3 * pi) / 4, -pi / 4, pi, pi / 2, -pi / 2, 0, 0]);
    });

    conformanceCase(ctx, 'div.float-by-zero', async () => {
      await expectDisposed(core.div([1, -1, 0, 1], [0, 0, 0, -0]), [Infinity, -Infinity, NaN, -Infinity]);
      await expectDisposed(core.add([Infinity, NaN], [-Infinity, 1]), [NaN, NaN]);
      await expectDisposed(core.mul([Infinity, 0], [0, -2]), [NaN, -0]);
    });

    conformanceCase(ctx, 'binary.int32-exact-beyond-float', async () => {
      // 2^24 + 1 is not a float32; int32 arithmetic must not go through float32.
      const a = tensor([16777217, 2000000000], [2], 'int32');
      await expectDisposed(core.add(a, 2), [16777219, 2000000002], { dtype: 'int32' });
      await expectDisposed(core.sub(a, 1), [16777216, 1999999999], { dtype: 'int32' });
      const m = tensor([46340, -3], [2], 'int32');
      const k = tensor([46340, 5], [2], 'int32');
      await expectDisposed(core.mul(m, k), [2147395600, -15], { dtype: 'int32' });
      [a, m, k].forEach((t) => t.dispose());
    });
  });

  describe('gradients', () => {
    for (const [name, { a, b }] of Object.entries(GRAD_INPUTS)) {
      const fn = bin(name);
      conformanceCase(ctx, `${name}.gradient`, async () => {
        const ta = tensor(a);
        const tb = tensor(b);
        await checkGradients(fn, [ta, tb]);
        ta.dispose();
        tb.dispose();
      });

      conformanceCase(ctx, `${name}.gradient-broadcast`, async () => {
        // [2, 3] against [3]: b's gradient is summed over the rows.
        const rows = tensor([...a, ...a.map((v) => v * 0.9)], [2, 3]);
        const tb = tensor(b, [3]);
        await checkGradients(fn, [rows, tb]);
        // [2, 1] against [1, 3]: both operands are broadcast.
        const col = tensor(name === 'pow' ? [0.8, 1.3] : [a[0]!, a[1]!], [2, 1]);
        const row = tensor(b, [1, 3]);
        await checkGradients(fn, [col, row]);
        const [gCol, gRow] = grads(fn)([col, row]);
        expect([...gCol!.shape]).to.deep.equal([2, 1]);
        expect([...gRow!.shape]).to.deep.equal([1, 3]);
        [rows, tb, col, row, gCol!, gRow!].forEach((t) => t.dispose());
      });
    }

    conformanceCase(ctx, 'binary.gradient-broadcast-sums', async () => {
      // d/db sum(a + b) for b broadcast over 2 rows is 2 per element; d/da sum(a * b) is b.
      const a = tensor([[1, 2, 3], [4, 5, 6]]);
      const b = tensor([10, 20, 30]);
      const [ga, gb] = grads((x, y) => core.sum(core.add(x, y)))([a, b]);
      await expectDisposed(ga!, [[1, 1, 1], [1, 1, 1]], { shape: [2, 3] });
      await expectDisposed(gb!, [2, 2, 2], { shape: [3] });
      const [ma, mb] = grads((x, y) => core.sum(core.mul(x, y)))([a, b]);
      await expectDisposed(ma!, [[10, 20, 30], [10, 20, 30]], { shape: [2, 3] });
      await expectDisposed(mb!, [5, 7, 9], { shape: [3] });
      // A scalar operand's gradient is the sum of all of dy.
      const s = tensor(3);
      const [, gs] = grads((x, y) => core.sum(core.mul(x, y)))([a, s]);
      await expectDisposed(gs!, [21], { shape: [] });
      [a, b, s].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'pow.gradient-negative-base', async () => {
      // Integer exponents of a negative base are differentiable in the base.
      const a = tensor([-2, -0.5, -1.5]);
      const b = tensor([3, 2, 2]);
      await checkGradients(core.pow, [a, b], { skip: [1] });
      const [ga] = grads(core.pow)([a, b]);
      await expectDisposed(ga!, [12, -1, -3]);
      a.dispose();
      b.dispose();
    });

    conformanceCase(ctx, 'binary.gradient-values-random', async () => {
      const a = tensor(randomValues(12, 21), [3, 4]);
      const b = tensor(randomValues(4, 22, 0.5, 2), [4]);
      for (const name of ['add', 'sub', 'mul', 'div', 'squaredDifference']) await checkGradients(bin(name), [a, b]);
      a.dispose();
      b.dispose();
    });

    conformanceCase(ctx, 'binary.non-differentiable-give-zero', async () => {
      const a = tensor([0.3, 1.7]);
      const b = tensor([1, 1]);
      for (const name of ['floorDiv', 'equal', 'less', 'greaterEqual']) {
        const [ga, gb] = grads((x, y) => core.cast(bin(name)(x, y), 'float32'))([a, b]);
        await expectDisposed(ga!, [0, 0], { dtype: 'float32' });
        await expectDisposed(gb!, [0, 0], { dtype: 'float32' });
      }
      a.dispose();
      b.dispose();
    });

    conformanceCase(ctx, 'binary.no-leaks', async () => {
      await expectNoLeaks(async () => {
        const y = core.add([1, 2], [3, 4]);
        await y.data();
        y.dispose();
        const a = tensor([[0.5, 1.5, 2]]);
        const b = tensor([[1.25], [0.75]]);
        for (const name of Object.keys(GRAD_INPUTS)) {
          const out = bin(name)(a, b);
          out.dispose();
          grads(bin(name))([a, b]).forEach((g) => g.dispose());
        }
        a.dispose();
        b.dispose();
      });
    });
  });
}
