import { expect } from 'chai';
import type { Conv2DAttrs, TensorInfo } from '@strata/engine-api';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../src/kernels/conv2d.js';
import {
  depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput,
} from '../src/kernels/depthwise-conv2d.js';
import { expectClose, randomValues, tensor } from './fast-kernel-helpers.js';

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** One convolution case: shapes, attributes and (for depthwise) the channel multiplier. */
interface Case {
  n: number; h: number; w: number; c: number; kh: number; kw: number; oc: number;
  stride: [number, number]; dilation: [number, number];
  pad: { top: number; bottom: number; left: number; right: number };
}

function outSize(inSize: number, k: number, s: number, d: number, before: number, after: number): number {
  return Math.floor((inSize + before + after - ((k - 1) * d + 1)) / s) + 1;
}

function geometry(t: Case) {
  const oh = outSize(t.h, t.kh, t.stride[0], t.dilation[0], t.pad.top, t.pad.bottom);
  const ow = outSize(t.w, t.kw, t.stride[1], t.dilation[1], t.pad.left, t.pad.right);
  const attrs: Conv2DAttrs = { strides: t.stride, dilations: t.dilation, pad: t.pad };
  return { oh, ow, attrs };
}

/**
 * Calls `visit(xIndex, filterTap, yPixel)` for every (output pixel, in-range kernel tap) pair of a
 * channels-last convolution; indices are pixel-level (times channels gives the element offset).
 */
function forEachTap(t: Case, oh: number, ow: number, visit: (xPixel: number, tap: number, yPixel: number) => void): void {
  for (let n = 0; n < t.n; n++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < t.kh; ky++) {
          for (let kx = 0; kx < t.kw; kx++) {
            const iy = oy * t.stride[0] - t.pad.top + ky * t.dilation[0];
            const ix = ox * t.stride[1] - t.pad.left + kx * t.dilation[1];
            if (iy < 0 || iy >= t.h || ix < 0 || ix >= t.w) continue;
            visit((n * t.h + iy) * t.w + ix, ky * t.kw + kx, (n * oh + oy) * ow + ox);
          }
        }
      }
    }
  }
}

function referenceConv(t: Case, x: Float32Array, f: Float32Array, oh: number, ow: number): Float64Array {
  const y = new Float64Array(t.n * oh * ow * t.oc);
  forEachTap(t, oh, ow, (xp, tap, yp) => {
    for (let c = 0; c < t.c; c++) {
      for (let o = 0; o < t.oc; o++) y[yp * t.oc + o] += x[xp * t.c + c]! * f[(tap * t.c + c) * t.oc + o]!;
    }
  });
  return y;
}

function referenceConvInput(t: Case, dy: Float32Array, f: Float32Array, oh: number, ow: number): Float64Array {
  const dx = new Float64Array(t.n * t.h * t.w * t.c);
  forEachTap(t, oh, ow, (xp, tap, yp) => {
    for (let c = 0; c < t.c; c++) {
      for (let o = 0; o < t.oc; o++) dx[xp * t.c + c] += dy[yp * t.oc + o]! * f[(tap * t.c + c) * t.oc + o]!;
    }
  });
  return dx;
}

function referenceConvFilter(t: Case, x: Float32Array, dy: Float32Array, oh: number, ow: number): Float64Array {
  const df = new Float64Array(t.kh * t.kw * t.c * t.oc);
  forEachTap(t, oh, ow, (xp, tap, yp) => {
    for (let c = 0; c < t.c; c++) {
      for (let o = 0; o < t.oc; o++) df[(tap * t.c + c) * t.oc + o] += x[xp * t.c + c]! * dy[yp * t.oc + o]!;
    }
  });
  return df;
}

/** Depthwise references: `oc` is the channel multiplier M, output channel `c * M + m`. */
function referenceDepthwise(t: Case, x: Float32Array, f: Float32Array, oh: number, ow: number): Float64Array {
  const cm = t.c * t.oc;
  const y = new Float64Array(t.n * oh * ow * cm);
  forEachTap(t, oh, ow, (xp, tap, yp) => {
    for (let q = 0; q < cm; q++) y[yp * cm + q] += x[xp * t.c + Math.floor(q / t.oc)]! * f[tap * cm + q]!;
  });
  return y;
}

function referenceDepthwiseInput(t: Case, dy: Float32Array, f: Float32Array, oh: number, ow: number): Float64Array {
  const cm = t.c * t.oc;
  const dx = new Float64Array(t.n * t.h * t.w * t.c);
  forEachTap(t, oh, ow, (xp, tap, yp) => {
    for (let q = 0; q < cm; q++) dx[xp * t.c + Math.floor(q / t.oc)] += dy[yp * cm + q]! * f[tap * cm + q]!;
  });
  return dx;
}

function referenceDepthwiseFilter(t: Case, x: Float32Array, dy: Float32Array, oh: number, ow: number): Float64Array {
  const cm = t.c * t.oc;
  const df = new Float64Array(t.kh * t.kw * cm);
  forEachTap(t, oh, ow, (xp, tap, yp) => {
    for (let q = 0; q < cm; q++) df[tap * cm + q] += x[xp * t.c + Math.floor(q / t.oc)]! * dy[yp * cm + q]!;
  });
  return df;
}

const NO_PAD = { top: 0, bottom: 0, left: 0, right: 0 };
const CASES: Case[] = [
  { n: 1, h: 5, w: 5, c: 1, kh: 1, kw: 1, oc: 1, stride: [1, 1], dilation: [1, 1], pad: NO_PAD },
  { n: 2, h: 7, w: 6, c: 3, kh: 1, kw: 1, oc: 5, stride: [1, 1], dilation: [1, 1], pad: NO_PAD },
  { n: 2, h: 9, w: 8, c: 3, kh: 1, kw: 1, oc: 4, stride: [2, 2], dilation: [1, 1], pad: NO_PAD },
  { n: 2, h: 8, w: 9, c: 4, kh: 3, kw: 3, oc: 6, stride: [1, 1], dilation: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } },
  { n: 1, h: 11, w: 10, c: 3, kh: 3, kw: 3, oc: 7, stride: [2, 2], dilation: [1, 1], pad: { top: 0, bottom: 1, left: 1, right: 0 } },
  { n: 2, h: 12, w: 11, c: 2, kh: 3, kw: 2, oc: 3, stride: [1, 2], dilation: [2, 2], pad: { top: 2, bottom: 1, left: 0, right: 3 } },
  { n: 1, h: 13, w: 13, c: 5, kh: 5, kw: 5, oc: 9, stride: [1, 1], dilation: [1, 1], pad: { top: 2, bottom: 2, left: 2, right: 2 } },
  { n: 1, h: 14, w: 12, c: 4, kh: 5, kw: 5, oc: 3, stride: [2, 3], dilation: [2, 1], pad: { top: 3, bottom: 0, left: 1, right: 2 } },
  { n: 3, h: 10, w: 10, c: 33, kh: 3, kw: 3, oc: 65, stride: [1, 1], dilation: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } },
  { n: 2, h: 30, w: 30, c: 8, kh: 3, kw: 3, oc: 16, stride: [1, 1], dilation: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } },
  { n: 1, h: 4, w: 4, c: 2, kh: 3, kw: 3, oc: 2, stride: [3, 3], dilation: [1, 1], pad: { top: 4, bottom: 4, left: 4, right: 4 } },
];

function describeCase(t: Case): string {
  return `${t.n}x${t.h}x${t.w}x${t.c} * ${t.kh}x${t.kw}->${t.oc} s${t.stride} d${t.dilation} ` +
    `pad ${t.pad.top},${t.pad.bottom},${t.pad.left},${t.pad.right}`;
}

describe('fast kernels: conv2d', () => {
  CASES.forEach((t, index) => {
    it(`forward and both backprops match the references: ${describeCase(t)}`, () => {
      const { oh, ow, attrs } = geometry(t);
      const xShape = [t.n, t.h, t.w, t.c], fShape = [t.kh, t.kw, t.c, t.oc], yShape = [t.n, oh, ow, t.oc];
      const xv = randomValues(t.n * t.h * t.w * t.c, index * 3 + 1);
      const fv = randomValues(t.kh * t.kw * t.c * t.oc, index * 3 + 2);
      const dyv = randomValues(t.n * oh * ow * t.oc, index * 3 + 3);
      const x = tensor(xv, xShape), f = tensor(fv, fShape), dy = tensor(dyv, yShape);

      const y = conv2d(x, f, attrs, { shape: yShape, dtype: 'float32' }).values as Float32Array;
      const dx = conv2dBackpropInput(dy, f, attrs, { shape: xShape, dtype: 'float32' }).values as Float32Array;
      const df = conv2dBackpropFilter(x, dy, attrs, { shape: fShape, dtype: 'float32' }).values as Float32Array;

      expectClose(y, referenceConv(t, xv, fv, oh, ow));
      expectClose(dx, referenceConvInput(t, dyv, fv, oh, ow));
      expectClose(df, referenceConvFilter(t, xv, dyv, oh, ow));

      // <conv(x, f), dy> == <x, dx> == <f, df>: each backprop is the adjoint of the forward.
      const forward = dot(y, dyv);
      const scale = Math.max(1, Math.abs(forward));
      expect(Math.abs(dot(xv, dx) - forward)).to.be.at.most(1e-4 * scale);
      expect(Math.abs(dot(fv, df) - forward)).to.be.at.most(1e-4 * scale);
    });
  });

  it('handles large batches that span several im2col chunks', () => {
    const t: Case = { n: 6, h: 28, w: 28, c: 16, kh: 3, kw: 3, oc: 8, stride: [1, 1], dilation: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } };
    const { oh, ow, attrs } = geometry(t);
    const xv = randomValues(t.n * t.h * t.w * t.c, 7), fv = randomValues(9 * t.c * t.oc, 8);
    const dyv = randomValues(t.n * oh * ow * t.oc, 9);
    const x = tensor(xv, [t.n, t.h, t.w, t.c]), f = tensor(fv, [3, 3, t.c, t.oc]), dy = tensor(dyv, [t.n, oh, ow, t.oc]);
    expectClose(conv2d(x, f, attrs, { shape: [t.n, oh, ow, t.oc], dtype: 'float32' }).values, referenceConv(t, xv, fv, oh, ow));
    expectClose(conv2dBackpropInput(dy, f, attrs, { shape: [t.n, t.h, t.w, t.c], dtype: 'float32' }).values, referenceConvInput(t, dyv, fv, oh, ow));
    expectClose(conv2dBackpropFilter(x, dy, attrs, { shape: [3, 3, t.c, t.oc], dtype: 'float32' }).values, referenceConvFilter(t, xv, dyv, oh, ow), 2e-4);
  });

  it('gives zeros for an empty batch', () => {
    const attrs: Conv2DAttrs = { strides: [1, 1], dilations: [1, 1], pad: NO_PAD };
    const x = tensor(new Float32Array(0), [0, 3, 3, 2]), dy = tensor(new Float32Array(0), [0, 3, 3, 2]);
    const df = conv2dBackpropFilter(x, dy, attrs, { shape: [1, 1, 2, 2], dtype: 'float32' }).values;
    expect(Array.from(df)).to.deep.equal([0, 0, 0, 0]);
  });
});

describe('fast kernels: depthwiseConv2d', () => {
  const multipliers = [1, 2, 3];
  CASES.forEach((base, index) => {
    const t: Case = { ...base, oc: multipliers[index % 3]! };
    it(`forward and both backprops match the references: ${describeCase(t)}`, () => {
      const { oh, ow, attrs } = geometry(t);
      const cm = t.c * t.oc;
      const xShape = [t.n, t.h, t.w, t.c], fShape = [t.kh, t.kw, t.c, t.oc], yShape = [t.n, oh, ow, cm];
      const xv = randomValues(t.n * t.h * t.w * t.c, index * 5 + 1);
      const fv = randomValues(t.kh * t.kw * cm, index * 5 + 2);
      const dyv = randomValues(t.n * oh * ow * cm, index * 5 + 3);
      const x = tensor(xv, xShape), f = tensor(fv, fShape), dy = tensor(dyv, yShape);

      const y = depthwiseConv2d(x, f, attrs, { shape: yShape, dtype: 'float32' }).values as Float32Array;
      const dx = depthwiseConv2dBackpropInput(dy, f, attrs, { shape: xShape, dtype: 'float32' }).values as Float32Array;
      const df = depthwiseConv2dBackpropFilter(x, dy, attrs, { shape: fShape, dtype: 'float32' }).values as Float32Array;

      expectClose(y, referenceDepthwise(t, xv, fv, oh, ow));
      expectClose(dx, referenceDepthwiseInput(t, dyv, fv, oh, ow));
      expectClose(df, referenceDepthwiseFilter(t, xv, dyv, oh, ow));

      const forward = dot(y, dyv);
      const scale = Math.max(1, Math.abs(forward));
      expect(Math.abs(dot(xv, dx) - forward)).to.be.at.most(1e-4 * scale);
      expect(Math.abs(dot(fv, df) - forward)).to.be.at.most(1e-4 * scale);
    });
  });
});
