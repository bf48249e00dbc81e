import type { OutputInfo, TensorInfo } from '@strata/engine-api';
import type { GpuData } from '../gpu-data.js';
import type { GpuRuntime } from '../gpu-runtime.js';
import { wgslMath } from './elementwise-math.js';
import { convertExpr, elementwiseProgram } from './elementwise-program.js';

/**
 * `cond ? a : b` elementwise, the three inputs broadcast NumPy-style onto `out.shape`. When
 * both branches already have the output's dtype the selected word is copied bit for bit (NaN
 * payloads, -0 and all); otherwise the chosen value converts as `cast` would.
 *
 * @example
 * const y = where(runtime, cond, a, b, { shape: [2, 3], dtype: 'float32' });
 */
export function where(runtime: GpuRuntime, cond: TensorInfo, a: TensorInfo, b: TensorInfo, out: OutputInfo): GpuData {
  const truth = cond.dtype === 'float32' ? 'nonzeroF(v0)' : 'v0 != 0';
  let apply: string;
  const deps = ['nonzeroF'];
  if (a.dtype === out.dtype && b.dtype === out.dtype) {
    apply = out.dtype === 'float32'
      ? `bitcast<f32>(select(bitcast<u32>(v2), bitcast<u32>(v1), ${truth}))`
      : `select(v2, v1, ${truth})`;
  } else {
    const va = convertExpr(a.dtype, out.dtype, 'v1');
    const vb = convertExpr(b.dtype, out.dtype, 'v2');
    deps.push(...va.deps, ...vb.deps);
    apply = `select(${vb.expr}, ${va.expr}, ${truth})`;
  }
  const program = elementwiseProgram({
    key: `where:${cond.dtype},${a.dtype},${b.dtype}>${out.dtype}`,
    inputs: [cond, a, b],
    out,
    helpers: wgslMath(deps),
    apply,
  });
  return runtime.run(program, [cond, a, b], [out])[0]!;
}
