import type { OutputInfo, Pool2DAttrs, Shape, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf, wrap, type CpuData } from '../buffer.js';

/** The clipped window of one output pixel: input rows `[y0, y1)`, columns `[x0, x1)`. */
interface Window {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

/**
 * Visits every output pixel of a channels-last pooling in row-major order, with the window
 * clipped to real input cells (padding never takes part). `xShape` is `[N, H, W, C]`, `outShape`
 * `[N, OH, OW, C]`; `image` is `n * H`.
 */
function forEachWindow(
  xShape: Shape, outShape: Shape, attrs: Pool2DAttrs, visit: (o: number, image: number, w: Window) => void,
): void {
  const [batch, inH, inW] = xShape as [number, number, number, number];
  const outH = outShape[1]!, outW = outShape[2]!;
  const [wh, ww] = attrs.windowSize, [sh, sw] = attrs.strides;
  const w: Window = { y0: 0, y1: 0, x0: 0, x1: 0 };
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const ys = oy * sh - attrs.pad.top;
      w.y0 = Math.max(0, ys);
      w.y1 = Math.min(inH, ys + wh);
      for (let ox = 0; ox < outW; ox++, o++) {
        const xs = ox * sw - attrs.pad.left;
        w.x0 = Math.max(0, xs);
        w.x1 = Math.min(inW, xs + ww);
        visit(o, n * inH, w);
      }
    }
  }
}

/** True when `v` should replace the running maximum `best`: larger, or the first NaN seen. */
function beats(v: number, best: number): boolean {
  return v > best || (v !== v && best === best);
}

/**
 * Max pooling, channels-last. A NaN in a window wins it; a window with no real cells gives -Infinity.
 *
 * @example
 * const y = maxPool(x, { windowSize: [2, 2], strides: [2, 2], pad: { top: 0, bottom: 0, left: 0, right: 0 } }, out);
 */
export function maxPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array;
  const inW = x.shape[2]!, c = x.shape[3]!;
  forEachWindow(x.shape, out.shape, attrs, (o, image, w) => {
    const ob = o * c;
    result.fill(-Infinity, ob, ob + c);
    for (let y = w.y0; y < w.y1; y++) {
      for (let xx = w.x0; xx < w.x1; xx++) {
        const xb = ((image + y) * inW + xx) * c;
        for (let ch = 0; ch < c; ch++) {
          const v = xs[xb + ch]!;
          if (beats(v, result[ob + ch]!)) result[ob + ch] = v;
        }
      }
    }
  });
  return wrap(result);
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
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array, dys = valuesOf(dy) as Float32Array;
  const inW = x.shape[2]!, c = x.shape[3]!;
  if (argScratch.length < c) {
    argScratch = new Int32Array(c);
    bestScratch = new Float32Array(c);
  }
  const arg = argScratch, best = bestScratch;
  forEachWindow(x.shape, dy.shape, attrs, (o, image, w) => {
    arg.fill(-1, 0, c);
    best.fill(-Infinity, 0, c);
    for (let y = w.y0; y < w.y1; y++) {
      for (let xx = w.x0; xx < w.x1; xx++) {
        const xb = ((image + y) * inW + xx) * c;
        for (let ch = 0; ch < c; ch++) {
          const v = xs[xb + ch]!;
          if (arg[ch] === -1 || beats(v, best[ch]!)) {
            best[ch] = v;
            arg[ch] = xb + ch;
          }
        }
      }
    }
    const ob = o * c;
    for (let ch = 0; ch < c; ch++) {
      const target = arg[ch]!;
      if (target >= 0) result[target] += dys[ob + ch]!;
    }
  });
  return wrap(result);
}

/**
 * Average pooling, channels-last: each window's sum over its real (non-padded) cells divided by
 * their count; a window with no real cells gives 0.
 *
 * @example
 * const y = avgPool(x, { windowSize: [3, 3], strides: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function avgPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const xs = valuesOf(x) as Float32Array;
  const inW = x.shape[2]!, c = x.shape[3]!;
  const acc = new Float64Array(c);
  forEachWindow(x.shape, out.shape, attrs, (o, image, w) => {
    acc.fill(0);
    for (let y = w.y0; y < w.y1; y++) {
      for (let xx = w.x0; xx < w.x1; xx++) {
        const xb = ((image + y) * inW + xx) * c;
        for (let ch = 0; ch < c; ch++) acc[ch] += xs[xb + ch]!;
      }
    }
    const count = (w.y1 - w.y0) * (w.x1 - w.x0);
    const scale = count > 0 ? 1 / count : 0;
    const ob = o * c;
    for (let ch = 0; ch < c; ch++) result[ob + ch] = acc[ch]! * scale;
  });
  return wrap(result);
}

/**
 * Gradient of {@link avgPool}: each `dy` cell is spread evenly over the real cells of its window;
 * `out` is x's shape.
 *
 * @example
 * const dx = avgPoolBackward(dy, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function avgPoolBackward(dy: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): CpuData {
  const result = allocate(out) as Float32Array;
  const dys = valuesOf(dy) as Float32Array;
  const inW = out.shape[2]!, c = out.shape[3]!;
  forEachWindow(out.shape, dy.shape, attrs, (o, image, w) => {
    const count = (w.y1 - w.y0) * (w.x1 - w.x0);
    if (count === 0) return;
    const scale = 1 / count;
    const ob = o * c;
    for (let y = w.y0; y < w.y1; y++) {
      for (let xx = w.x0; xx < w.x1; xx++) {
        const xb = ((image + y) * inW + xx) * c;
        for (let ch = 0; ch < c; ch++) result[xb + ch] += dys[ob + ch]! * scale;
      }
    }
  });
  return wrap(result);
}
