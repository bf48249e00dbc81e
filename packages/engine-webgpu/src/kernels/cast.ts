import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { wgslMath } from './elementwise-math.js';
import { convertExpr, elementwiseProgram } from './elementwise-program.js';

/**
 * Converts dtype into a new buffer: to int32 truncates toward zero (NaN and ±∞ give 0, and
 * magnitudes past int32 wrap, as JS's Int32Array stores them), to bool is `x != 0` (so NaN is
 * true), to float32 rounds to nearest. The same dtype copies.
 *
 * @example
 * const y = cast(runtime, x, { shape: x.shape, dtype: 'int32' });
 */
export function cast(runtime: GpuRuntime, x: TensorInfo, out: OutputInfo): GpuData {
  const converted = convertExpr(x.dtype, out.dtype, 'v0');
  const program = elementwiseProgram({
    key: `cast:${x.dtype}>${out.dtype}`,
    inputs: [x],
    out,
    helpers: wgslMath(converted.deps),
    apply: converted.expr,
  });
  return runtime.run(program, [x], [out])[0]!;
}
