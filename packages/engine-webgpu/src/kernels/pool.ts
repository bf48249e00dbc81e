import type { OutputInfo, Pool2DAttrs, TensorInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { grid1d } from '../program.js';
import { POOL_WGSL, poolUniforms } from './pool-window.js';

/*
 * 2-D pooling, channels-last. One thread per output element (forward) or per input element
 * (backward, a gather over the windows that cover it, so no two threads write one cell and no
 * atomics are needed); neighbouring threads take neighbouring channels. Windows are clipped to
 * real input cells: padding never takes part. Backward passes add contributions in output
 * order, as the CPU engine does.
 */

/** Declares `n, a, b, ch` (batch, row, column, channel) from flat index `i` over `[N, rows, cols, C]`. */
function decode(rows: string, cols: string): string {
  return `let ch = i % u.C; var t = i / u.C; let b = t % u.${cols}; t = t / u.${cols}; let a = t % u.${rows}; let n = t / u.${rows};`;
}

const HEAD = /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = flatIndex(gid, nw, 64u);
  if (i >= u.size) { return; }`;

/**
 * Max pooling. A NaN in a window wins it; a window with no real cells gives -Infinity.
 *
 * @example
 * const y = maxPool(runtime, x, { windowSize: [2, 2], strides: [2, 2], pad: { top: 0, bottom: 0, left: 0, right: 0 } }, out);
 */
export function maxPool(runtime: GpuRuntime, x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): GpuData {
  const size = sizeOf(out.shape);
  return runtime.run({
    key: 'maxPool',
    uniforms: [...poolUniforms(x.shape, out.shape, attrs, size), ['negInf', 'u32', 0xff800000]],
    workgroups: grid1d(size),
    source: (header) => /* wgsl */ `${header}${POOL_WGSL}${HEAD}
  ${decode('OH', 'OW')}
  let ry = windowCells(a, u.sh, u.pt, u.KH, u.H); let rx = windowCells(b, u.sw, u.pl, u.KW, u.W);
  // From a uniform: a constant -Infinity is a shader compile error.
  var best = bitcast<f32>(u.negInf);
  for (var iy = ry.x; iy < ry.y; iy++) {
    for (var ix = rx.x; ix < rx.y; ix++) {
      let v = in0[((n * u.H + iy) * u.W + ix) * u.C + ch];
      if (isNan(v)) { out0[i] = v; return; }
      if (v > best) { best = v; }
    }
  }
  out0[i] = best;
}`,
  }, [x], [out])[0]!;
}

/**
 * Gradient of {@link maxPool}: each `dy` cell goes to the first maximal real cell of its window
 * (row-major window order; a NaN is maximal); `out` is x's shape. Two passes: the winning cell
 * of every window, then a gather of the `dy` cells each input cell won.
 *
 * @example
 * const dx = maxPoolBackward(runtime, dy, x, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function maxPoolBackward(runtime: GpuRuntime, dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): GpuData {
  const windows = sizeOf(dy.shape);
  const argInfo: OutputInfo = { shape: dy.shape, dtype: 'int32' };
  const [winners] = runtime.run({
    key: 'maxPoolWinners',
    uniforms: poolUniforms(x.shape, dy.shape, attrs, windows),
    workgroups: grid1d(windows),
    source: (header) => /* wgsl */ `${header}${POOL_WGSL}
// The flat index of the window's first maximal cell (the first NaN, if any), or -1 if it is empty.
fn winner(n: u32, ch: u32, ry: vec2u, rx: vec2u) -> i32 {
  var best = 0.0;
  var arg = -1;
  for (var iy = ry.x; iy < ry.y; iy++) {
    for (var ix = rx.x; ix < rx.y; ix++) {
      let at = ((n * u.H + iy) * u.W + ix) * u.C + ch;
      let v = in0[at];
      if (isNan(v)) { return i32(at); }
      if (arg < 0 || v > best) { best = v; arg = i32(at); }
    }
  }
  return arg;
}${HEAD}
  ${decode('OH', 'OW')}
  out0[i] = winner(n, ch, windowCells(a, u.sh, u.pt, u.KH, u.H), windowCells(b, u.sw, u.pl, u.KW, u.W));
}`,
  }, [x], [argInfo]);
  const size = sizeOf(out.shape);
  const [dx] = runtime.run({
    key: 'maxPoolBackward',
    uniforms: poolUniforms(out.shape, dy.shape, attrs, size),
    workgroups: grid1d(size),
    source: (header) => /* wgsl */ `${header}${POOL_WGSL}${HEAD}
  ${decode('H', 'W')}
  let oy = coveringOutputs(a, u.sh, u.pt, u.KH, u.OH); let ox = coveringOutputs(b, u.sw, u.pl, u.KW, u.OW);
  var s = 0.0;
  for (var y = oy.x; y < oy.y; y++) {
    for (var x = ox.x; x < ox.y; x++) {
      let o = ((n * u.OH + y) * u.OW + x) * u.C + ch;
      if (in1[o] == i32(i)) { s += in0[o]; }
    }
  }
  out0[i] = s;
}`,
  }, [dy, { dataId: winners!, ...argInfo }], [out]);
  // Queue order guarantees the gather has read the winners before a later kernel reuses them.
  runtime.release(winners!);
  return dx!;
}

/**
 * Average pooling: each window's sum over its real cells divided by their count; a window with
 * no real cells gives 0.
 *
 * @example
 * const y = avgPool(runtime, x, { windowSize: [3, 3], strides: [1, 1], pad: { top: 1, bottom: 1, left: 1, right: 1 } }, out);
 */
export function avgPool(runtime: GpuRuntime, x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): GpuData {
  const size = sizeOf(out.shape);
  return runtime.run({
    key: 'avgPool',
    uniforms: poolUniforms(x.shape, out.shape, attrs, size),
    workgroups: grid1d(size),
    source: (header) => /* wgsl */ `${header}${POOL_WGSL}${HEAD}
  ${decode('OH', 'OW')}
  let ry = windowCells(a, u.sh, u.pt, u.KH, u.H); let rx = windowCells(b, u.sw, u.pl, u.KW, u.W);
  var s = 0.0;
  for (var iy = ry.x; iy < ry.y; iy++) {
    for (var ix = rx.x; ix < rx.y; ix++) { s += in0[((n * u.H + iy) * u.W + ix) * u.C + ch]; }
  }
  let count = (ry.y - ry.x) * (rx.y - rx.x);
  out0[i] = select(0.0, s * (1.0 / f32(count)), count > 0u);
}`,
  }, [x], [out])[0]!;
}

/**
 * Gradient of {@link avgPool}: each `dy` cell spread evenly over the real cells of its window;
 * `out` is x's shape.
 *
 * @example
 * const dx = avgPoolBackward(runtime, dy, attrs, { shape: x.shape, dtype: 'float32' });
 */
export function avgPoolBackward(runtime: GpuRuntime, dy: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): GpuData {
  const size = sizeOf(out.shape);
  return runtime.run({
    key: 'avgPoolBackward',
    uniforms: poolUniforms(out.shape, dy.shape, attrs, size),
    workgroups: grid1d(size),
    source: (header) => /* wgsl */ `${header}${POOL_WGSL}${HEAD}
  ${decode('H', 'W')}
  let oy = coveringOutputs(a, u.sh, u.pt, u.KH, u.OH); let ox = coveringOutputs(b, u.sw, u.pl, u.KW, u.OW);
  var s = 0.0;
  for (var y = oy.x; y < oy.y; y++) {
    let ry = windowCells(y, u.sh, u.pt, u.KH, u.H);
    for (var x = ox.x; x < ox.y; x++) {
      let rx = windowCells(x, u.sw, u.pl, u.KW, u.W);
      // Never empty: the window covers this cell.
      let count = (ry.y - ry.x) * (rx.y - rx.x);
      s += in0[((n * u.OH + y) * u.OW + x) * u.C + ch] * (1.0 / f32(count));
    }
  }
  out0[i] = s;
}`,
  }, [dy], [out])[0]!;
}
