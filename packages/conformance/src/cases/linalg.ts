import { expect } from 'chai';
import { add, dot, fusedMatmul, grad, matmul, matMul, sum, tanh, tensor, tidy, type MatmulActivation, type Tensor } from '@strata/core';
import { checkGradients, conformanceCase, expectNoLeaks, expectTensor, randomValues, type SuiteContext } from '../harness.js';
import { expectOpError } from './case-helpers.js';

interface HostTensor {
  values: ArrayLike<number>;
  shape: readonly number[];
}

function size(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * Reference batched matmul in float64: batch dims broadcast NumPy-style, operands read through
 * their transposes element by element.
 */
function refMatmul(a: HostTensor, b: HostTensor, tA = false, tB = false): { values: number[]; shape: number[] } {
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const m = tA ? a1 : a0, k = tA ? a0 : a1, n = tB ? b0 : b1;
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const padA = [...new Array<number>(rank - batchA.length).fill(1), ...batchA];
  const padB = [...new Array<number>(rank - batchB.length).fill(1), ...batchB];
  const batch = padA.map((d, i) => Math.max(d, padB[i]!));
  const values: number[] = [];
  const total = size(batch);
  for (let t = 0; t < total; t++) {
    let rest = t, offA = 0, offB = 0, strideA = 1, strideB = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % batch[d]!;
      rest = Math.floor(rest / batch[d]!);
      offA += (padA[d] === 1 ? 0 : idx) * strideA;
      offB += (padB[d] === 1 ? 0 : idx) * strideB;
      strideA *= padA[d]!;
      strideB *= padB[d]!;
    }
    const baseA = offA * a0 * a1, baseB = offB * b0 * b1;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = a.values[baseA + (tA ? p * a1 + i : i * a1 + p)]!;
          const bv = b.values[baseB + (tB ? j * b1 + p : p * b1 + j)]!;
          s += av * bv;
        }
        values.push(s);
      }
    }
  }
  return { values, shape: [...batch, m, n] };
}

function host(shape: readonly number[], seed: number): HostTensor {
  return { values: randomValues(size(shape), seed), shape };
}

function make(h: HostTensor): Tensor {
  return tensor(Float32Array.from(h.values), h.shape);
}

/** Runs matmul on random operands of the given shapes and compares with the reference. */
async function checkMatmul(aShape: number[], bShape: number[], tA: boolean, tB: boolean, seed: number): Promise<void> {
  const a = host(aShape, seed), b = host(bShape, seed + 100);
  const expected = refMatmul(a, b, tA, tB);
  const [ta, tb] = [make(a), make(b)];
  const y = matmul(ta, tb, tA, tB);
  await expectTensor(y, expected.values, { shape: expected.shape, dtype: 'float32', atol: 1e-5, rtol: 1e-5 });
  [ta, tb, y].forEach((t) => t.dispose());
}

/** The activations of `fusedMatmul`, in float64. */
const ACTIVATION_REFERENCE: Record<MatmulActivation, (z: number) => number> = {
  linear: (z) => z,
  relu: (z) => Math.max(z, 0),
  relu6: (z) => Math.min(Math.max(z, 0), 6),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => Math.tanh(z),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
};

/** `activation(a @ b + bias)` in float64, the bias broadcast against the product's last two dims. */
function refFusedMatmul(a: HostTensor, b: HostTensor, bias: HostTensor | null, activation: MatmulActivation, tA: boolean, tB: boolean) {
  const product = refMatmul(a, b, tA, tB);
  const [m, n] = product.shape.slice(-2) as [number, number];
  const [bm, bn] = bias === null ? [1, 1] : bias.shape.length === 1 ? [1, bias.shape[0]!] : bias.shape as [number, number];
  const values = product.values.map((v, i) => {
    const row = Math.floor(i / n) % m, col = i % n;
    const add = bias === null ? 0 : bias.values[(bm === 1 ? 0 : row) * bn + (bn === 1 ? 0 : col)]!;
    return ACTIVATION_REFERENCE[activation](v + add);
  });
  return { values, shape: product.shape };
}

/**
 * Cases for `matmul` (alias `matMul`) and `dot`: golden values, every transpose combination,
 * batch broadcasting, size-0/1 dims, NaN/Inf, int32, errors, gradients and leaks.
 *
 * @example
 * describe('linalg', () => linalgCases(ctx));
 */
export function linalgCases(ctx: SuiteContext): void {
  describe('matmul', () => {
    conformanceCase(ctx, 'matmul.golden', async () => {
      // [[1,2,3],[4,5,6]] @ [[7,8],[9,10],[11,12]] by hand.
      const y = matmul([[1, 2, 3], [4, 5, 6]], [[7, 8], [9, 10], [11, 12]]);
      await expectTensor(y, [[58, 64], [139, 154]], { shape: [2, 2], dtype: 'float32' });
      y.dispose();
    });

    conformanceCase(ctx, 'matmul.transpose-combos', async () => {
      await checkMatmul([3, 4], [4, 5], false, false, 1);
      await checkMatmul([4, 3], [4, 5], true, false, 2);
      await checkMatmul([3, 4], [5, 4], false, true, 3);
      await checkMatmul([4, 3], [5, 4], true, true, 4);
    });

    conformanceCase(ctx, 'matmul.batched-transpose-combos', async () => {
      await checkMatmul([2, 3, 4], [2, 4, 5], false, false, 5);
      await checkMatmul([2, 4, 3], [2, 4, 5], true, false, 6);
      await checkMatmul([2, 3, 4], [2, 5, 4], false, true, 7);
      await checkMatmul([2, 4, 3], [2, 5, 4], true, true, 8);
    });

    conformanceCase(ctx, 'matmul.batch-broadcast', async () => {
      await checkMatmul([2, 1, 3, 4], [5, 4, 2], false, false, 9);
      await checkMatmul([3, 2, 4], [4, 5], false, false, 10);
      await checkMatmul([2, 3], [4, 3, 5], false, false, 11);
      await checkMatmul([1, 3, 4], [2, 1, 4, 2], false, false, 12);
      await checkMatmul([2, 1, 4, 3], [3, 2, 4], true, true, 13);
    });

    conformanceCase(ctx, 'matmul.larger', async () => {
      await checkMatmul([17, 33], [33, 9], false, false, 14);
      await checkMatmul([3, 65, 7], [7, 70], false, false, 15);
    });

    conformanceCase(ctx, 'matmul.size-one-dims', async () => {
      await checkMatmul([1, 1], [1, 1], false, false, 16);
      await checkMatmul([1, 4], [4, 1], false, false, 17);
      await checkMatmul([4, 1], [1, 3], false, false, 18);
      await checkMatmul([1, 1, 3], [1, 3, 1], true, true, 19);
    });

    conformanceCase(ctx, 'matmul.size-zero-dims', async () => {
      const inputs = [tensor([], [0, 3]), tensor(randomValues(6, 20), [3, 2]), tensor([], [2, 0]), tensor([], [0, 3]),
        tensor([], [0, 2, 3]), tensor(randomValues(12, 21), [3, 4])] as const;
      const empty = matmul(inputs[0], inputs[1]);
      await expectTensor(empty, [], { shape: [0, 2] });
      // An empty inner dimension sums nothing: zeros.
      const zeroInner = matmul(inputs[2], inputs[3]);
      await expectTensor(zeroInner, [0, 0, 0, 0, 0, 0], { shape: [2, 3] });
      const emptyBatch = matmul(inputs[4], inputs[5]);
      await expectTensor(emptyBatch, [], { shape: [0, 2, 4] });
      [...inputs, empty, zeroInner, emptyBatch].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'matmul.nan-inf', async () => {
      const y = matmul([[NaN, 1], [1, 1], [Infinity, 0]], [[1, 0], [3, 2]]);
      // Row 0 holds NaN; row 2 gives Infinity * 1 in column 0 and Infinity * 0 = NaN in column 1.
      await expectTensor(y, [NaN, NaN, 4, 2, Infinity, NaN], { shape: [3, 2] });
      y.dispose();
    });

    conformanceCase(ctx, 'matmul.int32-computes-in-float32', async () => {
      const a = tensor([[1, 2], [3, 4]], [2, 2], 'int32');
      const b = tensor([[5], [6]], [2, 1], 'int32');
      const y = matmul(a, b);
      await expectTensor(y, [[17], [39]], { shape: [2, 1], dtype: 'float32' });
      [a, b, y].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'matmul.alias-matMul', async () => {
      expect(matMul).to.equal(matmul);
    });

    conformanceCase(ctx, 'matmul.errors', async () => {
      const a = tensor(randomValues(6, 22), [2, 3]);
      const b42 = tensor(randomValues(8, 23), [4, 2]);
      const b23 = tensor(randomValues(6, 24), [2, 3]);
      const v = tensor([1, 2, 3]);
      const a234 = tensor(randomValues(24, 25), [2, 3, 4]);
      const b345 = tensor(randomValues(60, 26), [3, 4, 5]);
      const flag = tensor([[true]]);
      const one = tensor([[1]]);
      expectOpError(() => matmul(a, b42), 'matmul', 'b', '[2, 3]', '[4, 2]', 'inner dimensions 3 and 4');
      expectOpError(() => matmul(a, b23, false, false), 'matmul', 'b', 'inner dimensions 3 and 2');
      expectOpError(() => matmul(a, b42, true, false), 'matmul', 'b', 'transposeA=true', 'inner dimensions 2 and 4');
      expectOpError(() => matmul(v, a), 'matmul', 'a', '[3]');
      expectOpError(() => matmul(a, v), 'matmul', 'b', '[3]');
      expectOpError(() => matmul(a234, b345), 'matmul', 'b', '[2, 3, 4]', '[3, 4, 5]', 'batch dimensions [2] vs [3]');
      expectOpError(() => matmul(flag, one), 'matmul', 'a', 'bool');
      [a, b42, b23, v, a234, b345, flag, one].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'matmul.gradient', async () => {
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = tensor(randomValues(6, 30), tA ? [3, 2] : [2, 3]);
        const b = tensor(randomValues(12, 31), tB ? [4, 3] : [3, 4]);
        await checkGradients((x, w) => matmul(x, w, tA, tB), [a, b]);
        a.dispose();
        b.dispose();
      }
    });

    conformanceCase(ctx, 'matmul.gradient-batch-broadcast', async () => {
      const a = tensor(randomValues(12, 32), [2, 1, 2, 3]);
      const b = tensor(randomValues(18, 33), [3, 3, 2]);
      await checkGradients((x, w) => matmul(x, w), [a, b]);
      const c = tensor(randomValues(12, 34), [2, 2, 3]);
      const d = tensor(randomValues(8, 35), [4, 2]);
      await checkGradients((x, w) => matmul(x, w, true, true), [c, d]);
      [a, b, c, d].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'matmul.no-leaks', async () => {
      const a = tensor(randomValues(12, 36), [2, 1, 2, 3]);
      const b = tensor(randomValues(18, 37), [3, 3, 2]);
      await expectNoLeaks(async () => {
        const y = matmul(a, b, false, false);
        await y.data();
        y.dispose();
        const nested = matmul([[1, 2]], [[3], [4]]);
        nested.dispose();
        tidy(() => { matmul(a, b); });
      });
      a.dispose();
      b.dispose();
    });
  });

  describe('fusedMatmul', () => {
    const activations = Object.keys(ACTIVATION_REFERENCE) as MatmulActivation[];

    conformanceCase(ctx, 'fusedMatmul.every-activation-and-bias-shape', async () => {
      // Scaled so relu6 clips and tanh/sigmoid saturate somewhere.
      const scaled = (h: HostTensor): HostTensor => ({ values: Array.from(h.values, (v) => 3 * v), shape: h.shape });
      const cases: [number[], number[], number[] | null, boolean, boolean][] = [
        [[5, 7], [7, 6], [6], false, false],
        [[7, 5], [6, 7], [1, 6], true, true],
        [[2, 5, 7], [7, 6], [5, 1], false, false],
        [[3, 4], [4, 9], null, false, false],
        [[2, 1, 3, 4], [5, 4, 2], [2], false, false],
      ];
      let seed = 50;
      for (const activation of activations) {
        for (const [aShape, bShape, biasShape, tA, tB] of cases) {
          const a = scaled(host(aShape, seed++)), b = host(bShape, seed++);
          const bias = biasShape === null ? null : host(biasShape, seed++);
          const expected = refFusedMatmul(a, b, bias, activation, tA, tB);
          const inputs = [make(a), make(b), ...(bias ? [make(bias)] : [])];
          const y = fusedMatmul(inputs[0]!, inputs[1]!, { bias: inputs[2] ?? null, activation, transposeA: tA, transposeB: tB });
          await expectTensor(y, expected.values, { shape: expected.shape, dtype: 'float32', atol: 1e-5, rtol: 1e-5 });
          [...inputs, y].forEach((t) => t.dispose());
        }
      }
    });

    conformanceCase(ctx, 'fusedMatmul.gradient', async () => {
      let seed = 90;
      // A small step keeps the differences off relu's and relu6's kinks.
      const options = { eps: 1e-3 };
      for (const activation of activations) {
        const a = tensor(randomValues(12, seed++), [4, 3]);
        const b = tensor(randomValues(15, seed++), [3, 5]);
        const bias = tensor(randomValues(5, seed++), [5]);
        await checkGradients((x, w, c) => fusedMatmul(x, w, { bias: c, activation }), [a, b, bias], options);
        const at = tensor(randomValues(12, seed++), [2, 3, 2]), bt = tensor(randomValues(15, seed++), [5, 3]);
        await checkGradients((x, w) => fusedMatmul(x, w, { activation, transposeA: true, transposeB: true }), [at, bt], options);
        [a, b, bias, at, bt].forEach((t) => t.dispose());
      }
    });

    conformanceCase(ctx, 'fusedMatmul.gradient-of-one-operand', async () => {
      // Only the kernel is differentiated (the input is a constant): the input's gradient, a
      // product as large as the forward one, is skipped, and the kernel's is unchanged.
      const x = tensor(randomValues(12, 120), [4, 3]), w = tensor(randomValues(15, 121), [3, 5]), bias = tensor(randomValues(5, 122), [5]);
      const f = (xx: Tensor, ww: Tensor, bb: Tensor) => sum(fusedMatmul(xx, ww, { bias: bb, activation: 'tanh' }));
      const dw = grad((ww: Tensor) => f(x, ww, bias))(w);
      const dwMatmul = grad((ww: Tensor) => sum(tanh(add(matmul(x, ww), bias))))(w);
      await expectTensor(dw, await dwMatmul.data(), { shape: [3, 5], atol: 1e-6, rtol: 1e-6 });
      [x, w, bias, dw, dwMatmul].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'fusedMatmul.errors', async () => {
      const a = tensor(randomValues(6, 130), [2, 3]), b = tensor(randomValues(12, 131), [3, 4]);
      const wrongBias = tensor([1, 2, 3]), bias3d = tensor(randomValues(8, 132), [1, 2, 4]);
      expectOpError(() => fusedMatmul(a, b, { bias: wrongBias }), 'fusedMatmul', 'bias', '[3]', '[2, 4]');
      expectOpError(() => fusedMatmul(a, b, { bias: bias3d }), 'fusedMatmul', 'bias', '[1, 2, 4]');
      expectOpError(() => fusedMatmul(a, b, { activation: 'softmax' as MatmulActivation }), 'fusedMatmul', 'activation', 'softmax');
      expectOpError(() => fusedMatmul(b, b), 'fusedMatmul', 'b', 'inner dimensions 4 and 3');
      [a, b, wrongBias, bias3d].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'fusedMatmul.no-leaks', async () => {
      const a = tensor(randomValues(6, 140), [2, 3]), b = tensor(randomValues(12, 141), [3, 4]), bias = tensor(randomValues(4, 142), [4]);
      await expectNoLeaks(async () => {
        const y = fusedMatmul(a, b, { bias, activation: 'relu' });
        await y.data();
        y.dispose();
        const g = grad((w: Tensor) => sum(fusedMatmul(a, w, { bias, activation: 'sigmoid' })))(b);
        g.dispose();
      });
      [a, b, bias].forEach((t) => t.dispose());
    });
  });

  describe('dot', () => {
    conformanceCase(ctx, 'dot.vector-vector', async () => {
      const y = dot([1, 2, 3], [4, 5, 6]);
      await expectTensor(y, 32, { shape: [], dtype: 'float32' });
      y.dispose();
    });

    conformanceCase(ctx, 'dot.matrix-vector', async () => {
      const y = dot([[1, 2], [3, 4], [5, 6]], [1, -1]);
      await expectTensor(y, [-1, -1, -1], { shape: [3] });
      y.dispose();
    });

    conformanceCase(ctx, 'dot.vector-matrix', async () => {
      const y = dot([1, -1, 2], [[1, 2], [3, 4], [5, 6]]);
      await expectTensor(y, [8, 10], { shape: [2] });
      y.dispose();
    });

    conformanceCase(ctx, 'dot.matrix-matrix', async () => {
      const y = dot([[1, 2]], [[3], [4]]);
      await expectTensor(y, [[11]], { shape: [1, 1] });
      y.dispose();
    });

    conformanceCase(ctx, 'dot.errors', async () => {
      const v3 = tensor([1, 2, 3]), v2 = tensor([1, 2]), m12 = tensor([[1, 2]]), s = tensor(1), v1 = tensor([1]), t111 = tensor([[[1]]]);
      expectOpError(() => dot(v3, v2), 'dot', 'b', '[3]', '[2]', 'inner dimensions 3 and 2');
      expectOpError(() => dot(m12, m12), 'dot', 'b', '[1, 2]', 'inner dimensions 2 and 1');
      expectOpError(() => dot(s, v1), 'dot', 'a', '[]');
      expectOpError(() => dot(v1, t111), 'dot', 'b', '[1, 1, 1]');
      const flags = tensor([true]);
      expectOpError(() => dot(flags, v1), 'dot', 'a', 'bool');
      [v3, v2, m12, s, v1, t111, flags].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'dot.gradient', async () => {
      const v = tensor(randomValues(3, 40));
      const w = tensor(randomValues(3, 41));
      const m = tensor(randomValues(6, 42), [2, 3]);
      await checkGradients((x, y) => dot(x, y), [v, w]);
      await checkGradients((x, y) => dot(x, y), [m, v]);
      const n = tensor(randomValues(6, 43), [3, 2]);
      await checkGradients((x, y) => dot(x, y), [v, n]);
      [v, w, m, n].forEach((t) => t.dispose());
    });

    conformanceCase(ctx, 'dot.no-leaks', async () => {
      const v = tensor([1, 2, 3]);
      await expectNoLeaks(() => {
        dot(v, v).dispose();
        dot([1, 2], [[1], [2]]).dispose();
      });
      v.dispose();
    });
  });
}
