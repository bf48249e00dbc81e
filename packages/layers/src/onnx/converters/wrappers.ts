import type { Masking } from '../../layers/basic/masking.js';
import type { TimeDistributed } from '../../layers/wrappers/time-distributed.js';
import type { LayerConverter } from '../context.js';
import { attr, axisIn } from '../graph-builder.js';

/**
 * TimeDistributed: the batch and time axes folded into one (`Reshape` to `[-1, ...sample]`), the
 * wrapped layer converted on that, and the result unfolded with the input's own batch and time
 * sizes (read with `Shape`, so both may vary at run time).
 *
 * @example
 * CONVERTERS.set(TimeDistributed, convertTimeDistributed);
 */
export const convertTimeDistributed: LayerConverter = (ctx) => {
  const layer = ctx.layer as TimeDistributed;
  const v = ctx.inputs[0]!;
  const b = ctx.b;
  const sample = v.shape.slice(2);
  const outSample = ctx.outputShapes[0]!.slice(2);
  if ([...sample, ...outSample].some((d) => d === null)) {
    ctx.fail(`needs the per-step input and output sizes known to fold the time axis into the batch; received input shape [${v.shape.map((d) => d ?? 'null').join(', ')}]. Give the input fixed sizes after the time axis`);
  }
  const x = b.native(v);
  const folded = b.op('Reshape', [x, b.int64Const([-1, ...(sample as number[])])]);
  const stepValue = b.value([null, ...sample], v.dtype, folded, 'native');
  // The wrapped layer decides whether a mask matters to it (Dense ignores it, an RNN refuses).
  stepValue.masked = v.masked;
  const [inner] = ctx.convertLayer(layer.layer, [stepValue], [[null, ...outSample]]);
  const batchAndTime = b.op('Shape', [x], [attr.int('start', 0), attr.int('end', 2)]);
  const target = b.op('Concat', [batchAndTime, b.int64Const(outSample as number[])], [attr.int('axis', 0)]);
  return [ctx.out(0, b.op('Reshape', [b.native(inner!), target]), 'native')];
};

/**
 * Masking: the steps whose features all equal `maskValue` zeroed, as Strata computes them
 * (`x · any(x != maskValue)` over the last axis). The mask itself cannot travel in the graph:
 * layers downstream that would use it (recurrent layers, masked averages) refuse to export.
 *
 * @example
 * CONVERTERS.set(Masking, convertMasking);
 */
export const convertMasking: LayerConverter = (ctx) => {
  const layer = ctx.layer as Masking;
  const v = ctx.inputs[0]!;
  const b = ctx.b;
  const rank = v.shape.length;
  const x = b.home(v);
  const differs = b.op('Cast', [b.op('Not', [b.op('Equal', [x, b.floatConst([layer.maskValue], [])])])], [attr.int('to', 1)]);
  const keep = b.op('ReduceMax', [differs], [attr.ints('axes', [axisIn(v.home, rank, rank - 1)]), attr.int('keepdims', 1)]);
  const out = ctx.out(0, b.op('Mul', [x, keep]), v.home);
  out.masked = true;
  return [out];
};
