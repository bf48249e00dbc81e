// Straightforward float64 reference loops for the window ops (convolutions and pooling),
// channels-last. They take padding already resolved, so tests state it (or derive it with
// `tfSamePadding` below, written from TensorFlow's documentation, not from core).

/** A host-side tensor: row-major values and a shape. */
export interface HostTensor {
  values: ArrayLike<number>;
  shape: readonly number[];
}

/** Resolved window geometry: strides, dilations, padding before each spatial axis, output size. */
export interface RefWindow {
  strides: [number, number];
  dilations?: [number, number];
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
}

/**
 * TensorFlow's SAME padding on one axis: `[before, after]` with the odd cell after.
 *
 * @example
 * tfSamePadding(5, 3, 2, 1); // [1, 1]
 */
export function tfSamePadding(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Output size on one axis for explicit padding.
 *
 * @example
 * outSize(5, 3, 2, 1, 1, 1); // 3
 */
export function outSize(size: number, kernel: number, stride: number, dilation: number, before: number, after: number): number {
  return Math.floor((size + before + after - ((kernel - 1) * dilation + 1)) / stride) + 1;
}

function at4(t: HostTensor, a: number, b: number, c: number, d: number): number {
  const s = t.shape;
  return t.values[((a * s[1]! + b) * s[2]! + c) * s[3]! + d]!;
}

/** Visits the real input cells of one output pixel's window: (tap ky, tap kx, input y, input x). */
function forTaps(kH: number, kW: number, inH: number, inW: number, w: RefWindow, oy: number, ox: number,
  visit: (ky: number, kx: number, y: number, x: number) => void): void {
  const [dH, dW] = w.dilations ?? [1, 1];
  for (let ky = 0; ky < kH; ky++) {
    for (let kx = 0; kx < kW; kx++) {
      const y = oy * w.strides[0] - w.padTop + ky * dH;
      const x = ox * w.strides[1] - w.padLeft + kx * dW;
      if (y >= 0 && y < inH && x >= 0 && x < inW) visit(ky, kx, y, x);
    }
  }
}

/**
 * conv2d: `x [N, H, W, C]`, `filter [KH, KW, C, OC]`, output `[N, OH, OW, OC]` values.
 *
 * @example
 * refConv2d(x, f, { strides: [1, 1], padTop: 0, padLeft: 0, outH: 2, outW: 2 });
 */
export function refConv2d(x: HostTensor, f: HostTensor, w: RefWindow): number[] {
  const [n, inH, inW, c] = x.shape as [number, number, number, number];
  const [kH, kW, , oc] = f.shape as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < w.outH; oy++) {
      for (let ox = 0; ox < w.outW; ox++) {
        for (let o = 0; o < oc; o++) {
          let s = 0;
          forTaps(kH, kW, inH, inW, w, oy, ox, (ky, kx, y, xx) => {
            for (let ch = 0; ch < c; ch++) s += at4(x, b, y, xx, ch) * at4(f, ky, kx, ch, o);
          });
          out.push(s);
        }
      }
    }
  }
  return out;
}

/**
 * depthwiseConv2d: `filter [KH, KW, C, M]`, output channel `c * M + m`.
 *
 * @example
 * refDepthwiseConv2d(x, f, { strides: [1, 1], padTop: 1, padLeft: 1, outH: 3, outW: 3 });
 */
export function refDepthwiseConv2d(x: HostTensor, f: HostTensor, w: RefWindow): number[] {
  const [n, inH, inW, c] = x.shape as [number, number, number, number];
  const [kH, kW, , m] = f.shape as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < w.outH; oy++) {
      for (let ox = 0; ox < w.outW; ox++) {
        for (let ch = 0; ch < c; ch++) {
          for (let q = 0; q < m; q++) {
            let s = 0;
            forTaps(kH, kW, inH, inW, w, oy, ox, (ky, kx, y, xx) => {
              s += at4(x, b, y, xx, ch) * at4(f, ky, kx, ch, q);
            });
            out.push(s);
          }
        }
      }
    }
  }
  return out;
}

/**
 * Transposed convolution by scattering: every input cell `x [N, h, w, C]` adds
 * `x * filter[ky, kx, oc, c]` to the output cell its forward window tap reads,
 * `filter [KH, KW, OC, C]`, output `[N, H, W, OC]` (`w.outH`/`outW` are H and W, the forward
 * geometry's input).
 *
 * @example
 * refConv2dTranspose(x, f, { strides: [2, 2], padTop: 0, padLeft: 0, outH: 6, outW: 6 });
 */
export function refConv2dTranspose(x: HostTensor, f: HostTensor, w: RefWindow): number[] {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const [kH, kW, oc] = f.shape as [number, number, number];
  const [dH, dW] = w.dilations ?? [1, 1];
  const out = new Array<number>(n * w.outH * w.outW * oc).fill(0);
  for (let b = 0; b < n; b++) {
    for (let iy = 0; iy < h; iy++) {
      for (let ix = 0; ix < wd; ix++) {
        for (let ky = 0; ky < kH; ky++) {
          for (let kx = 0; kx < kW; kx++) {
            const y = iy * w.strides[0] - w.padTop + ky * dH;
            const xx = ix * w.strides[1] - w.padLeft + kx * dW;
            if (y < 0 || y >= w.outH || xx < 0 || xx >= w.outW) continue;
            for (let o = 0; o < oc; o++) {
              let s = 0;
              for (let ch = 0; ch < c; ch++) s += at4(x, b, iy, ix, ch) * at4(f, ky, kx, o, ch);
              out[((b * w.outH + y) * w.outW + xx) * oc + o]! += s;
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * Max or average pooling over real cells: a window without real cells gives -Infinity (max) or
 * 0 (average); NaN wins a max.
 *
 * @example
 * refPool('max', x, 2, 2, { strides: [2, 2], padTop: 0, padLeft: 0, outH: 2, outW: 2 });
 */
export function refPool(kind: 'max' | 'avg', x: HostTensor, kH: number, kW: number, w: RefWindow): number[] {
  const [n, inH, inW, c] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < w.outH; oy++) {
      for (let ox = 0; ox < w.outW; ox++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity, total = 0, count = 0;
          forTaps(kH, kW, inH, inW, w, oy, ox, (_ky, _kx, y, xx) => {
            const v = at4(x, b, y, xx, ch);
            best = Number.isNaN(v) || Number.isNaN(best) ? NaN : Math.max(best, v);
            total += v;
            count++;
          });
          out.push(kind === 'max' ? best : count > 0 ? total / count : 0);
        }
      }
    }
  }
  return out;
}
