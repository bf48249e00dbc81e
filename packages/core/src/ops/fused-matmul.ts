import { sizeOf, type FusedActivation } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import { runtime } from '../runtime.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { add } from './binary.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { matmul } from './matmul.js';
import { matmulOperands } from './matmul-operands.js';
import { reshape } from './reshape.js';
import { elu, relu, relu6, sigmoid, tanh } from './unary.js';

/** The activations `fusedMatmul` applies: those whose derivative follows from the output alone. */
export type MatmulActivation = Extract<FusedActivation, 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'elu'>;

const ACTIVATIONS: Record<MatmulActivation, (x: Tensor) => Tensor> = {
  linear: (x) => x, relu, relu6, sigmoid, tanh, elu: (x) => elu(x),
};

/** Options of {@link fusedMatmul}. */
export interface FusedMatmulOptions {
  /** Added to every row of the product; shape `[n]`, or any shape broadcasting to `[m, n]`. */
  bias?: TensorLike | null;
  /** Applied last. Default `'linear'`. */
  activation?: MatmulActivation;
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * `activation(a @ b + bias)` as one op, what a dense layer computes: engines with the
 * `fusedMatmul` fast path add the bias and apply the activation while each row of the product is
 * still in cache, and its gradient is one pass from the output (no intermediate is kept). Same
 * operands and broadcasting as {@link matmul}; gives the same numbers as
 * `activation(add(matmul(a, b), bias))`, which engines without the fast path run.
 *
 * @example
 * fusedMatmul(x, kernel, { bias, activation: 'relu' }); // relu(x @ kernel + bias)
 */
export const fusedMatmul = defineOp('fusedMatmul', (a: TensorLike, b: TensorLike, options: FusedMatmulOptions = {}): Tensor => {
  const { transposeA = false, transposeB = false, activation = 'linear' } = options;
  const apply = ACTIVATIONS[activation];
  if (apply === undefined) {
    throw new OpError('fusedMatmul', 'activation', `'${String(activation)}'`, `must be one of ${Object.keys(ACTIVATIONS).join(', ')}; apply other activations after matmul`);
  }
  const { a3, b3, batch, m, n } = matmulOperands('fusedMatmul', a, b, transposeA, transposeB);
  let bias: Tensor | null = null;
  if (options.bias !== undefined && options.bias !== null) {
    bias = castTo(convert(options.bias, 'bias', 'fusedMatmul'), 'float32');
    const fits = bias.rank <= 2 && bias.shape.every((d, i) => d === 1 || d === [m, n][i + 2 - bias!.rank]);
    if (!fits) {
      throw new OpError('fusedMatmul', 'bias', `shape ${fmtShape(bias.shape)} for a product of shape ${fmtShape([...batch, m, n])}`,
        `must broadcast to [${m}, ${n}] (usually [${n}], one value per output column)`);
    }
  }
  if (!runtime.engine.fusedMatmul) {
    const y = matmul(a3, b3, transposeA, transposeB);
    return reshape(apply(bias ? add(y, bias) : y), [...batch, m, n]);
  }
  const out = { shape: [sizeOf(batch), m, n], dtype: 'float32' as const };
  const inputs = bias ? [a3, b3, bias] : [a3, b3];
  const y = runKernel1('fusedMatmul', inputs, out,
    (e, [ai, bi, biasInfo]) => e.fusedMatmul!(ai!, bi!, biasInfo ?? null, activation, transposeA, transposeB, out),
    { transposeA, transposeB, activation });
  return reshape(y, [...batch, m, n]);
});
