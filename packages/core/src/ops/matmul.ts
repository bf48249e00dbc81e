import { sizeOf } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { defineOp } from './define-op.js';
import { matmulOperands, numericOperand } from './matmul-operands.js';
import { reshape } from './reshape.js';

/**
 * Matrix product of the last two dimensions, `a @ b`, with the dimensions before them (batch)
 * broadcast NumPy-style. Both operands need rank >= 2 (use `dot` for vectors). int32 operands are
 * computed in float32 and give float32; bool operands are refused.
 *
 * @example
 * matmul(tensor([[1, 2]]), tensor([[3], [4]]));       // [[11]]
 * matmul(ones([5, 3, 4]), ones([4, 2]));             // shape [5, 3, 2]
 * matmul(ones([4, 3]), ones([4, 2]), true);          // aᵀ @ b, shape [3, 2]
 */
export const matmul = defineOp('matmul', (a: TensorLike, b: TensorLike, transposeA: boolean = false, transposeB: boolean = false): Tensor => {
  const { a3, b3, batch, m, n } = matmulOperands('matmul', a, b, transposeA, transposeB);
  const out = { shape: [sizeOf(batch), m, n], dtype: 'float32' as const };
  const y = runKernel1('matmul', [a3, b3], out, (e, [ai, bi]) => e.matmul(ai!, bi!, transposeA, transposeB, out), { transposeA, transposeB });
  return reshape(y, [...batch, m, n]);
});

/** TF.js's name for {@link matmul}. */
export const matMul = matmul;

/**
 * Dot product of vectors and matrices: vector·vector gives a scalar, matrix·vector and
 * vector·matrix a vector, matrix·matrix a matrix (as TF.js `dot`). Ranks above 2 are refused; use
 * `matmul` for batches.
 *
 * @example
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6]));    // 32
 * dot(tensor([[1, 2], [3, 4]]), tensor([1, 1])); // [3, 7]
 */
export const dot = defineOp('dot', (a: TensorLike, b: TensorLike): Tensor => {
  const $a = convert(a, 'a', 'dot');
  const $b = convert(b, 'b', 'dot');
  for (const [name, t] of [['a', $a], ['b', $b]] as const) {
    if (t.rank < 1 || t.rank > 2) throw new OpError('dot', name, `shape ${fmtShape(t.shape)}`, 'must be a vector or a matrix (rank 1 or 2); use matmul for batched products');
    numericOperand('dot', name, t);
  }
  const kA = $a.shape[$a.rank - 1]!;
  const kB = $b.shape[0]!;
  if (kA !== kB) {
    throw new OpError('dot', 'b', `a of shape ${fmtShape($a.shape)} and b of shape ${fmtShape($b.shape)}: inner dimensions ${kA} and ${kB}`,
      "must have as many rows as a has columns (a's last dimension equal to b's first)");
  }
  const a2 = $a.rank === 1 ? reshape($a, [1, kA]) : $a;
  const b2 = $b.rank === 1 ? reshape($b, [kB, 1]) : $b;
  const y = matmul(a2, b2);
  const shape = [...($a.rank === 2 ? [$a.shape[0]!] : []), ...($b.rank === 2 ? [$b.shape[1]!] : [])];
  return reshape(y, shape);
});
