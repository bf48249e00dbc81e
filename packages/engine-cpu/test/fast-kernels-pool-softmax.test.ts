import { expect } from 'chai';
import type { Pool2DAttrs, TensorInfo } from '@strata/engine-api';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from '../src/kernels/pool.js';
import { logSoftmax, softmax } from '../src/kernels/softmax.js';
import { expectClose as expectCloseWithin, randomValues, tensor } from './fast-kernel-helpers.js';

/** Pooling and softmax are exact up to rounding: a tighter default tolerance than the GEMM tests. */
const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void => expectCloseWithin(actual, expected, tol);


interface PoolCase {
  n: number; h: number; w: number; c: number; attrs: Pool2DAttrs;
}

function poolOut(t: PoolCase): number[] {
  const { windowSize: [wh, ww], strides: [sh, sw], pad } = t.attrs;
  return [
    t.n,
    Math.floor((t.h + pad.top + pad.bottom - wh) / sh) + 1,
    Math.floor((t.w + pad.left + pad.right - ww) / sw) + 1,
    t.c,
  ];
}

/** Calls `visit(yIndex, xIndices)` per output cell with its window's real cells in row-major order. */
function forEachWindow(t: PoolCase, visit: (y: number, cells: number[]) => void): void {
  const [, oh, ow] = poolOut(t);
  const { windowSize: [wh, ww], strides: [sh, sw], pad } = t.attrs;
  for (let n = 0; n < t.n; n++) {
    for (let oy = 0; oy < oh!; oy++) {
      for (let ox = 0; ox < ow!; ox++) {
        for (let c = 0; c < t.c; c++) {
          const cells: number[] = [];
          for (let dy = 0; dy < wh; dy++) {
            for (let dx = 0; dx < ww; dx++) {
              const iy = oy * sh - pad.top + dy, ix = ox * sw - pad.left + dx;
              if (iy >= 0 && iy < t.h && ix >= 0 && ix < t.w) cells.push(((n * t.h + iy) * t.w + ix) * t.c + c);
            }
          }
          visit(((n * oh! + oy) * ow! + ox) * t.c + c, cells);
        }
      }
    }
  }
}

const POOL_CASES: PoolCase[] = [
  { n: 2, h: 6, w: 6, c: 3, attrs: { windowSize: [2, 2], strides: [2, 2], pad: { top: 0, bottom: 0, left: 0, right: 0 } } },
  { n: 1, h: 7, w: 5, c: 4, attrs: { windowSize: [3, 3], strides: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } } },
  { n: 2, h: 9, w: 8, c: 5, attrs: { windowSize: [3, 2], strides: [2, 3], pad: { top: 0, bottom: 2, left: 1, right: 0 } } },
  { n: 1, h: 5, w: 5, c: 33, attrs: { windowSize: [5, 5], strides: [1, 1], pad: { top: 2, bottom: 2, left: 2, right: 2 } } },
  { n: 1, h: 4, w: 4, c: 1, attrs: { windowSize: [4, 4], strides: [4, 4], pad: { top: 0, bottom: 0, left: 0, right: 0 } } },
];

describe('fast kernels: pooling', () => {
  POOL_CASES.forEach((t, index) => {
    const label = `${t.n}x${t.h}x${t.w}x${t.c} window ${t.attrs.windowSize} stride ${t.attrs.strides}`;
    const xShape = [t.n, t.h, t.w, t.c], yShape = poolOut(t);
    const ySize = yShape.reduce((p, d) => p * d, 1);

    it(`maxPool and its backward match the references: ${label}`, () => {
      // Quantised values force ties, so "first maximal cell" is exercised.
      const xv = randomValues(t.n * t.h * t.w * t.c, index + 1).map((v) => Math.round(v * 2));
      const dyv = randomValues(ySize, index + 100);
      const wantY = new Float64Array(ySize), wantDx = new Float64Array(xv.length);
      forEachWindow(t, (y, cells) => {
        let best = cells[0]!;
        for (const cell of cells) if (xv[cell]! > xv[best]!) best = cell;
        wantY[y] = xv[best]!;
        wantDx[best] += dyv[y]!;
      });
      const x = tensor(xv, xShape);
      expectClose(maxPool(x, t.attrs, { shape: yShape, dtype: 'float32' }).values, wantY);
      expectClose(maxPoolBackward(tensor(dyv, yShape), x, t.attrs, { shape: xShape, dtype: 'float32' }).values, wantDx);
    });

    it(`avgPool and its backward match the references: ${label}`, () => {
      const xv = randomValues(t.n * t.h * t.w * t.c, index + 1);
      const dyv = randomValues(ySize, index + 200);
      const wantY = new Float64Array(ySize), wantDx = new Float64Array(xv.length);
      forEachWindow(t, (y, cells) => {
        let s = 0;
        for (const cell of cells) s += xv[cell]!;
        wantY[y] = s / cells.length;
        for (const cell of cells) wantDx[cell] += dyv[y]! / cells.length;
      });
      expectClose(avgPool(tensor(xv, xShape), t.attrs, { shape: yShape, dtype: 'float32' }).values, wantY);
      expectClose(avgPoolBackward(tensor(dyv, yShape), t.attrs, { shape: xShape, dtype: 'float32' }).values, wantDx);
    });
  });

  it('never lets a padded cell win a max window of negatives', () => {
    const attrs: Pool2DAttrs = { windowSize: [3, 3], strides: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } };
    const x = tensor(new Float32Array([-5, -4, -3, -2]), [1, 2, 2, 1]);
    expect(Array.from(maxPool(x, attrs, { shape: [1, 2, 2, 1], dtype: 'float32' }).values)).to.deep.equal([-2, -2, -2, -2]);
    const dx = maxPoolBackward(tensor(new Float32Array([1, 1, 1, 1]), [1, 2, 2, 1]), x, attrs, { shape: [1, 2, 2, 1], dtype: 'float32' });
    expect(Array.from(dx.values)).to.deep.equal([0, 0, 0, 4]);
  });

  it('propagates NaN through maxPool', () => {
    const attrs: Pool2DAttrs = { windowSize: [2, 2], strides: [2, 2], pad: { top: 0, bottom: 0, left: 0, right: 0 } };
    const y = maxPool(tensor(new Float32Array([1, NaN, 3, 2]), [1, 2, 2, 1]), attrs, { shape: [1, 1, 1, 1], dtype: 'float32' });
    expect(y.values[0]).to.be.NaN;
  });
});

describe('fast kernels: softmax', () => {
  function referenceSoftmax(xv: Float32Array, d: number): Float64Array {
    const out = new Float64Array(xv.length);
    for (let r = 0; r < xv.length; r += d) {
      let max = -Infinity;
      for (let i = 0; i < d; i++) max = Math.max(max, xv[r + i]!);
      let s = 0;
      for (let i = 0; i < d; i++) s += Math.exp(xv[r + i]! - max);
      for (let i = 0; i < d; i++) out[r + i] = Math.exp(xv[r + i]! - max) / s;
    }
    return out;
  }

  for (const [rows, d] of [[1, 1], [3, 7], [5, 130], [2, 1000]] as const) {
    it(`matches the reference and rows sum to 1: ${rows}x${d}`, () => {
      const xv = randomValues(rows * d, rows * d).map((v) => v * 10);
      const x = tensor(xv, [rows, d]), out = { shape: [rows, d], dtype: 'float32' as const };
      const want = referenceSoftmax(xv, d);
      const got = softmax(x, out).values;
      expectClose(got, want);
      expectClose(logSoftmax(x, out).values, want.map(Math.log), 1e-5);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += got[r * d + i]!;
        expect(s).to.be.closeTo(1, 1e-5);
      }
    });
  }

  it('does not overflow on large inputs', () => {
    const x = tensor(new Float32Array([1000, 999, -1000, 1000]), [1, 4]);
    const out = { shape: [1, 4], dtype: 'float32' as const };
    const e = Math.exp(-1);
    expectClose(softmax(x, out).values, [1 / (2 + e), e / (2 + e), 0, 1 / (2 + e)]);
    const ls = logSoftmax(x, out).values;
    expectClose(ls, [-Math.log(2 + e), -1 - Math.log(2 + e), -2000 - Math.log(2 + e), -Math.log(2 + e)]);
  });

  it('propagates NaN to its row only', () => {
    const x = tensor(new Float32Array([1, NaN, 2, 0, 0, 0]), [2, 3]);
    const out = { shape: [2, 3], dtype: 'float32' as const };
    for (const values of [softmax(x, out).values, logSoftmax(x, out).values]) {
      expect(Array.from(values.slice(0, 3)).every(Number.isNaN)).to.equal(true);
      expect(Array.from(values.slice(3)).some(Number.isNaN)).to.equal(false);
    }
  });

  it('treats a rank-1 input as one row', () => {
    const got = softmax(tensor(new Float32Array([0, Math.log(3)]), [2]), { shape: [2], dtype: 'float32' }).values;
    expectClose(got, [0.25, 0.75]);
  });
});
