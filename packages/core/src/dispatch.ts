import type { DataId, Engine, OutputInfo, TensorInfo } from '@strata/engine-api';
import { runtime } from './runtime.js';
import { recordOnTapes } from './tape.js';
import { Tensor } from './tensor.js';

/** What a kernel runner receives: the engine and the inputs as the engine sees them. */
export type KernelRunner = (engine: Engine, inputs: TensorInfo[]) => DataId | readonly DataId[];

/**
 * The one place where core calls an engine: runs a kernel, wraps its buffers as tensors, and
 * records the op on every gradient tape watching one of its inputs. Every op goes through here.
 *
 * `op` names the gradient (see `gradients/`); `attrs` are saved for it. A runner may return an
 * input's own buffer (views such as `reshape`); refcounting keeps that safe.
 *
 * @example
 * const [y] = runKernel('exp', [x], [{ shape: x.shape, dtype: 'float32' }],
 *   (engine, [xi]) => engine.unary('exp', xi, { shape: x.shape, dtype: 'float32' }));
 */
export function runKernel(
  op: string,
  inputs: readonly Tensor[],
  outputs: readonly OutputInfo[],
  run: KernelRunner,
  attrs: Record<string, unknown> = {},
): Tensor[] {
  const engine = runtime.engine;
  const infos: TensorInfo[] = inputs.map((t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }));
  const result = run(engine, infos);
  const ids = (Array.isArray(result) ? result : [result]) as DataId[];
  const tensors = ids.map((id, i) => new Tensor(id, outputs[i]!.shape, outputs[i]!.dtype));
  recordOnTapes(op, inputs, tensors, attrs);
  return tensors;
}

/**
 * `runKernel` for the common single-output case.
 *
 * @example
 * const y = runKernel1('neg', [x], { shape: x.shape, dtype: x.dtype }, (e, [xi]) => e.unary('neg', xi, { shape: x.shape, dtype: x.dtype }));
 */
export function runKernel1(op: string, inputs: readonly Tensor[], output: OutputInfo, run: KernelRunner, attrs: Record<string, unknown> = {}): Tensor {
  return runKernel(op, inputs, [output], run, attrs)[0]!;
}
