import type { OutputInfo, Pool2DAttrs, Shape, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';

/*
 * 2-D pooling, channels-last (`[N, H, W, C]`). Every kernel walks output pixels in row-major order
 * with the window clipped to real input cells (padding never takes part), then window cells in
 * row-major order, then channels, which are contiguous. Channel loops live in small helpers so
 * V8 compiles each hot loop on its own.
 */

/** Loop bounds shared by the pooling kernels. */
interface PoolLoop {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  windowH: number;
  windowW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/** The loop bounds of a pooling with input `xShape` and output `outShape`. */
function poolLoop(xShape: Shape, outShape: Shape, attrs: Pool2DAttrs): PoolLoop {
  return {
    batch: xShape[0]!, inH: xShape[1]!, inW: xShape[2]!, channels: xShape[3]!,
    outH: outShape[1]!, outW: outShape[2]!,
    windowH: attrs.windowSize[0], windowW: attrs.windowSize[1],
    strideH: attrs.strides[0], strideW: attrs.strides[1],
    padTop: attrs.pad.top, padLeft: attrs.pad.left,
  };
}

/**
 * `best[b + c] = x[xb + c]` where that beats it: larger, or the first NaN seen (so NaN
 * propagates).
 */
function maxInto(best: Float32Array, b: number, x: Float32Array, xb: number, count: number): void {
  for (let c = 0; c < count; c++) {
    const v = x[xb + c]!, cur = best[b + c]!;
    if (v > cur || (v !== v && cur === cur)) best[b + c] = v;
  }
}

/**
 * As {@link maxInto} for one window's running maxima `best[c]`, recording the winning element
 * index in `arg[c]`; the window's first cell always wins (`arg[c] === -1`), so padding never does.
 */
function argMaxInto(best: Float32Array, arg: Int32Array, x: Float32Array, xb: number, count: number): void {
  for (let c = 0; c < count; c++) {
    const v = x[xb + c]!, cur = best[c]!;
    if (arg[c] === -1 || v > cur || (v !== v && cur === cur)) {
      best[c] = v;
      arg[c] = xb + c;
    }
  }
}

/** `acc[c] += x[xb + c]`. */
function addInto(acc: Float64Array, x: Float32Array, xb: number, count: number): void {
  for (let c = 0; c < count; c++) acc[c] += x[xb + c]!;
}

/** `dx[xb + c] += dy[o + c] * scale`. */
function addScaledInto(dx: Float32Array, xb: number, dy: Float32Array, o: number, scale: number, count: number): void {
  for (let c = 0; c < count; c++) dx[xb + c] += dy[o + c]! * scale;
}

/**
 * Max pooling. A NaN in a window wins it; a window with no real cells gives -Infinity.
 *
 * @example
 * const y = maxPool(x, { windowSize: [2, 2], strides: [2, 2], pad: { top: 0, bottom: 0, left: 0, right: 0 } }, out);
 */
export function maxPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): CpuData {
  const y = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array;
  const L = poolLoop(x.shape, out.shape, attrs);
  const c = L.channels;
  let o = 0;
  for (let n = 0; n < L.batch; n++) {
    for (let oy = 0; oy < L.outH; oy++) {
      const ys = oy * L.strideH - L.padTop;
      const y0 = Math.max(0, ys), y1 = Math.min(L.inH, ys + L.windowH);
      for (let ox = 0; ox < L.outW; ox++, o += c) {
        const xs0 = ox * L.strideW - L.padLeft;
        const x0 = Math.max(0, xs0), x1 = Math.min(L.inW, xs0 + L.windowW);
        y.fill(-Infinity, o, o + c);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) maxInto(y, o, xs, ((n * L.inH + iy) * L.inW + ix) * c, c);
        }
      }
    }
  }
  return wrap(y);
}

let argScratch = new Int32Array(0);
let bestScratch = new Float32Array(0);

/**
 * Gradient of {@link maxPool}: each `dy` cell goes to the first maximal real cell of its window
 * (row-major window order); `out` is x's shape.
 *
 * @example
 * const dx = maxPoolBackward(dy, x, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function maxPoolBackward(dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): CpuData {
  const dx = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array, dys = valuesOf(dy) as Float32Array;
  const L = poolLoop(x.shape, dy.shape, attrs);
  const c = L.channels;
  if (argScratch.length < c) {
    argScratch = new Int32Array(c);
    bestScratch = new Float32Array(c);
  }
  const arg = argScratch, best = bestScratch;
  let o = 0;
  for (let n = 0; n < L.batch; n++) {
    for (let oy = 0; oy < L.outH; oy++) {
      const ys = oy * L.strideH - L.padTop;
      const y0 = Math.max(0, ys), y1 = Math.min(L.inH, ys + L.windowH);
      for (let ox = 0; ox < L.outW; ox++, o += c) {
        const xs0 = ox * L.strideW - L.padLeft;
        const x0 = Math.max(0, xs0), x1 = Math.min(L.inW, xs0 + L.windowW);
        arg.fill(-1, 0, c);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) argMaxInto(best, arg, xs, ((n * L.inH + iy) * L.inW + ix) * c, c);
        }
        for (let ch = 0; ch < c; ch++) {
          const target = arg[ch]!;
          if (target >= 0) dx[target] += dys[o + ch]!;
        }
      }
    }
  }
  return wrap(dx);
}

/**
 * Average pooling: each window's sum over its real (non-padded) cells divided by their count; a
 * window with no real cells gives 0.
 *
 * @example
 * const y = avgPool(x, { windowSize: [3, 3], strides: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function avgPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): CpuData {
  const y = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array;
  const L = poolLoop(x.shape, out.shape, attrs);
  const c = L.channels;
  const acc = new Float64Array(c);
  let o = 0;
  for (let n = 0; n < L.batch; n++) {
    for (let oy = 0; oy < L.outH; oy++) {
      const ys = oy * L.strideH - L.padTop;
      const y0 = Math.max(0, ys), y1 = Math.min(L.inH, ys + L.windowH);
      for (let ox = 0; ox < L.outW; ox++, o += c) {
        const xs0 = ox * L.strideW - L.padLeft;
        const x0 = Math.max(0, xs0), x1 = Math.min(L.inW, xs0 + L.windowW);
        acc.fill(0);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) addInto(acc, xs, ((n * L.inH + iy) * L.inW + ix) * c, c);
        }
        const count = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
        const scale = count > 0 ? 1 / count : 0;
        for (let ch = 0; ch < c; ch++) y[o + ch] = acc[ch]! * scale;
      }
    }
  }
  return wrap(y);
}

/**
 * Gradient of {@link avgPool}: each `dy` cell is spread evenly over the real cells of its window;
 * `out` is x's shape.
 *
 * @example
 * const dx = avgPoolBackward(dy, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function avgPoolBackward(dy: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): CpuData {
  const dx = allocate(out) as Float32Array;
  const dys = valuesOf(dy) as Float32Array;
  const L = poolLoop(out.shape, dy.shape, attrs);
  const c = L.channels;
  let o = 0;
  for (let n = 0; n < L.batch; n++) {
    for (let oy = 0; oy < L.outH; oy++) {
      const ys = oy * L.strideH - L.padTop;
      const y0 = Math.max(0, ys), y1 = Math.min(L.inH, ys + L.windowH);
      for (let ox = 0; ox < L.outW; ox++, o += c) {
        const xs0 = ox * L.strideW - L.padLeft;
        const x0 = Math.max(0, xs0), x1 = Math.min(L.inW, xs0 + L.windowW);
        const count = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
        if (count === 0) continue;
        const scale = 1 / count;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) addScaledInto(dx, ((n * L.inH + iy) * L.inW + ix) * c, dys, o, scale, c);
        }
      }
    }
  }
  return wrap(dx);
}
