import { expect } from 'chai';
import type { FusedActivation, TensorInfo } from '@strata/engine-api';
import { fusedMatmul, matmul } from '../src/kernels/matmul.js';
import { randomValues, tensor, expectClose } from './fast-kernel-helpers.js';

/** Naive float64 batched matmul of stored operands with optional transposes and batch broadcast. */
function referenceMatmul(
  a: Float32Array, b: Float32Array, batchA: number, batchB: number,
  m: number, n: number, k: number, ta: boolean, tb: boolean,
): Float64Array {
  const batch = Math.max(batchA, batchB);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = batchA === 1 ? 0 : t * m * k, bo = batchB === 1 ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = a[ao + (ta ? p * m + i : i * k + p)]!;
          const bv = b[bo + (tb ? j * k + p : p * n + j)]!;
          s += av * bv;
        }
        out[(t * m + i) * n + j] = s;
      }
    }
  }
  return out;
}

function runMatmul(batchA: number, batchB: number, m: number, n: number, k: number, ta: boolean, tb: boolean, seed: number) {
  const av = randomValues(batchA * m * k, seed), bv = randomValues(batchB * k * n, seed + 1);
  const a = tensor(av, ta ? [batchA, k, m] : [batchA, m, k]);
  const b = tensor(bv, tb ? [batchB, n, k] : [batchB, k, n]);
  const out = { shape: [Math.max(batchA, batchB), m, n], dtype: 'float32' as const };
  const got = matmul(a, b, ta, tb, out).values as Float32Array;
  return { got, want: referenceMatmul(av, bv, batchA, batchB, m, n, k, ta, tb), av, bv, a, b, out };
}

const ACTIVATIONS: Record<FusedActivation, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(6, Math.max(0, x)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  gelu: (x) => 0.5 * x * (1 + referenceErf(x / Math.SQRT2)),
  swish: (x) => x / (1 + Math.exp(-x)),
};

/** erf by its Taylor series (converges fine for the |x| < 4 used here), independent of the kernel's. */
function referenceErf(x: number): number {
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('fast kernels: matmul', () => {
  const sizes = [1, 2, 7, 33, 65, 130];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      it(`matches the reference on odd sizes (transposeA=${ta}, transposeB=${tb})`, () => {
        let seed = 1;
        for (const m of sizes) {
          for (const n of [1, 7, 65, 130]) {
            for (const k of [1, 5, 33, 130]) {
              const { got, want } = runMatmul(1, 1, m, n, k, ta, tb, seed++);
              expectClose(got, want);
            }
          }
        }
      });
    }
  }

  it('handles sizes that cross the cache blocks', () => {
    for (const [m, n, k] of [[300, 520, 290], [97, 1030, 33], [5, 9, 700]] as const) {
      for (const [ta, tb] of [[false, false], [true, true]] as const) {
        const { got, want } = runMatmul(1, 1, m, n, k, ta, tb, m + n + k);
        expectClose(got, want);
      }
    }
  });

  it('broadcasts a batch of 1 on either side', () => {
    for (const [ba, bb] of [[1, 3], [3, 1], [3, 3]] as const) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const { got, want } = runMatmul(ba, bb, 9, 17, 13, ta, tb, ba * 10 + bb);
        expectClose(got, want);
      }
    }
  });

  it('gives zeros for K = 0 and empty outputs for M or N = 0', () => {
    const zeroK = runMatmul(2, 2, 3, 4, 0, false, false, 5);
    expect(Array.from(zeroK.got)).to.deep.equal(new Array(24).fill(0));
    expect(runMatmul(1, 1, 0, 4, 3, false, true, 6).got.length).to.equal(0);
    expect(runMatmul(1, 1, 4, 0, 3, true, false, 7).got.length).to.equal(0);
  });

  it('keeps NaN and Infinity flowing through', () => {
    const a = tensor(new Float32Array([NaN, 1, 2, 3]), [1, 2, 2]);
    const b = tensor(new Float32Array([1, 0, 0, Infinity]), [1, 2, 2]);
    const got = matmul(a, b, false, false, { shape: [1, 2, 2], dtype: 'float32' }).values;
    expect(got[0]).to.be.NaN;
    expect(got[1]).to.be.NaN;
    expect(got[2]).to.equal(2);
    expect(got[3]).to.equal(Infinity);
  });

  for (const activation of Object.keys(ACTIVATIONS) as FusedActivation[]) {
    it(`fuses bias and ${activation}`, () => {
      const m = 19, n = 37, k = 23;
      const { want, a, b, out } = runMatmul(2, 1, m, n, k, false, true, 42);
      const biasValues = randomValues(n, 99);
      const got = fusedMatmul(a, b, tensor(biasValues, [n]), activation, false, true, out).values;
      const f = ACTIVATIONS[activation];
      expectClose(got, want.map((v, i) => f(v + biasValues[i % n]!)));
    });
  }

  it('fuses without a bias and with a scalar bias', () => {
    const { want, a, b, out } = runMatmul(1, 1, 8, 8, 8, true, false, 3);
    expectClose(fusedMatmul(a, b, null, 'gelu', true, false, out).values, want.map(ACTIVATIONS.gelu));
    const scalar = tensor(new Float32Array([0.25]), [1]);
    expectClose(fusedMatmul(a, b, scalar, 'relu', true, false, out).values, want.map((v) => Math.max(0, v + 0.25)));
  });

  it('broadcasts a bias of rank 2 or 3 against [batch, M, N]', () => {
    const batch = 2, m = 5, n = 9, k = 6;
    const { want, a, b, out } = runMatmul(batch, 1, m, n, k, false, false, 8);
    for (const shape of [[m, 1], [1, n], [batch, 1, n], [batch, m, n], [batch, m, 1]]) {
      const size = shape.reduce((p, d) => p * d, 1);
      const biasValues = randomValues(size, size);
      const [bb, bm, bn] = [1, 1, ...shape].slice(-3) as [number, number, number];
      const expected = want.map((v, index) => {
        const t = Math.floor(index / (m * n)), i = Math.floor(index / n) % m, j = index % n;
        return Math.tanh(v + biasValues[((bb === 1 ? 0 : t) * bm + (bm === 1 ? 0 : i)) * bn + (bn === 1 ? 0 : j)]!);
      });
      expectClose(fusedMatmul(a, b, tensor(biasValues, shape), 'tanh', false, false, out).values, expected);
    }
  });

  it('matches the unary kernels at the edges: NaN, -0 and -Infinity', () => {
    const a = tensor(new Float32Array([NaN, -0, -Infinity, Infinity]), [1, 4, 1]);
    const b = tensor(new Float32Array([1]), [1, 1, 1]);
    const out = { shape: [1, 4, 1], dtype: 'float32' as const };
    const fused = (activation: FusedActivation) => Array.from(fusedMatmul(a, b, null, activation, false, false, out).values);
    expect(fused('relu')).to.deep.equal([NaN, 0, 0, Infinity]);
    expect(Object.is(fused('relu')[1], 0)).to.equal(true);
    expect(fused('relu6')).to.deep.equal([NaN, 0, 0, 6]);
    expect(fused('gelu')).to.deep.equal([NaN, 0, 0, Infinity]);
    expect(fused('swish')).to.deep.equal([NaN, 0, 0, Infinity]);
    expect(fused('sigmoid')).to.deep.equal([NaN, 0.5, 0, 1]);
    expect(fused('elu')).to.deep.equal([NaN, 0, -1, Infinity]);
  });
});
