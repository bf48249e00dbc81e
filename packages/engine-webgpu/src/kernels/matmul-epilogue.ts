import type { FusedActivation, TensorInfo } from '@strata/engine-api';
import type { Uniform } from '../program.js';
import { activationWgsl } from './matmul-activation.js';

/**
 * What a matmul program does to each output before storing it: add a bias (read from binding
 * `in2`) and apply an activation. `bias` says how the bias is indexed: `columns` when it varies
 * only along the last dim (the usual `[n]` vector, or a single value), `general` for a bias of
 * rank <= 3 broadcast NumPy-style against `[batch, m, n]`.
 */
export interface Epilogue {
  readonly activation: FusedActivation;
  readonly bias: 'none' | 'columns' | 'general';
  /** The bias strides and the rows of one batch entry (see `epilogueUniforms`). */
  readonly uniforms: readonly Uniform[];
}

/**
 * The epilogue of `activation(a @ b + bias)` for an output of `[batch, m, n]`, with the bias
 * broadcast as the CPU engine does (its shape right-aligned against the output; a dim of 1
 * repeats).
 *
 * @example
 * planEpilogue({ dataId, shape: [64], dtype: 'float32' }, 'relu', 8, 32, 64).bias; // 'columns'
 */
export function planEpilogue(
  bias: TensorInfo | null, activation: FusedActivation, batch: number, m: number, n: number,
): Epilogue {
  if (bias === null) return { activation, bias: 'none', uniforms: [] };
  if (bias.shape.length > 3) {
    throw new Error(`webgpu engine: fusedMatmul got a bias of shape [${bias.shape.join(', ')}]; it must have rank 3 or less and broadcast against the output [${batch}, ${m}, ${n}]`);
  }
  const [s0, s1, s2] = [1, 1, 1, ...bias.shape].slice(-3) as [number, number, number];
  const colStride = s2 === 1 && n !== 1 ? 0 : 1;
  const rowStride = s1 === 1 && m !== 1 ? 0 : s2;
  const batchStride = s0 === 1 && batch !== 1 ? 0 : s1 * s2;
  return {
    activation,
    bias: rowStride === 0 && batchStride === 0 ? 'columns' : 'general',
    uniforms: [
      ['biasRowsPerBatch', 'u32', Math.max(1, m)],
      ['biasBatchStride', 'u32', batchStride],
      ['biasRowStride', 'u32', rowStride],
      ['biasColStride', 'u32', colStride],
    ],
  };
}

/** True when the epilogue stores values unchanged (no bias, linear). */
export function epilogueIsTrivial(e: Epilogue): boolean {
  return e.bias === 'none' && e.activation === 'linear';
}

/** Part of a program key: everything in the epilogue's WGSL. */
export function epilogueKey(e: Epilogue): string {
  return `${e.activation}/${e.bias}`;
}

/**
 * WGSL defining `fn epilogue(v: f32, t: u32, row: u32, col: u32) -> f32` for the output at batch
 * entry `t`, `row`, `col`. Kernels that fold the batch into the rows (a shared `b`) pass `t = 0`
 * and a row up to `batch * m`; the bias index splits it again with `biasRowsPerBatch`.
 *
 * @example
 * epilogueWgsl(planEpilogue(null, 'linear', 1, 4, 4)); // 'fn epilogue(...) -> f32 { return v; }'
 */
export function epilogueWgsl(e: Epilogue): string {
  if (epilogueIsTrivial(e)) {
    return 'fn epilogue(v: f32, t: u32, row: u32, col: u32) -> f32 { return v; }\n';
  }
  const biasIndex = e.bias === 'columns'
    ? 'col * u.biasColStride'
    : '(t + row / u.biasRowsPerBatch) * u.biasBatchStride + (row % u.biasRowsPerBatch) * u.biasRowStride + col * u.biasColStride';
  // f32(...) also accepts an int32 bias (stored as i32), which the CPU engine reads as numbers.
  const sum = e.bias === 'none' ? 'v' : `v + f32(in2[${biasIndex}])`;
  return `${activationWgsl(e.activation)}
fn epilogue(v: f32, t: u32, row: u32, col: u32) -> f32 { return activate(${sum}); }
`;
}
