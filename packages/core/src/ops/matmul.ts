import { sizeOf } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { castTo } from './elementwise.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './tile.js';

/** Refuses bool operands; int32 ones are computed in float32 (cast after every check). */
function numericOperand(op: string, arg: string, t: Tensor): Tensor {
  if (t.dtype === 'bool') throw new OpError(op, arg, 'dtype bool', 'must be numeric (float32, or int32 which is computed in float32); cast it first');
  return t;
}

/** NumPy broadcasting of two batch shapes, with an error that names both full operand shapes. */
function broadcastBatch(a: Tensor, b: Tensor): number[] {
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new OpError('matmul', 'b', `a of shape ${fmtShape(a.shape)} and b of shape ${fmtShape(b.shape)} (batch dimensions ${fmtShape(batchA)} vs ${fmtShape(batchB)})`,
        'must have batch dimensions (all but the last two) that broadcast with a\'s: each equal or 1');
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * Brings an operand to the rank-3 `[batch, rows, cols]` form the engine's kernel takes: its own
 * batch flattened when it already spans the output batch (or is a single matrix, which the
 * kernel broadcasts), else materialised by broadcasting.
 */
function toRank3(t: Tensor, batch: readonly number[]): Tensor {
  const matrix = t.shape.slice(-2);
  const own = t.shape.slice(0, -2);
  const ownSize = sizeOf(own);
  const padded = [...new Array<number>(batch.length - own.length).fill(1), ...own];
  if (ownSize === 1 || shapesEqual(padded, batch)) return reshape(t, [ownSize, ...matrix]);
  return reshape(broadcastTo(t, [...batch, ...matrix]), [sizeOf(batch), ...matrix]);
}

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
  const $a = numericOperand('matmul', 'a', convert(a, 'a', 'matmul'));
  const $b = numericOperand('matmul', 'b', convert(b, 'b', 'matmul'));
  for (const [name, t] of [['a', $a], ['b', $b]] as const) {
    if (t.rank < 2) {
      throw new OpError('matmul', name, `shape ${fmtShape(t.shape)}`, 'must have rank 2 or more (matrices, optionally batched); use dot() for vectors');
    }
  }
  const [a0, a1] = $a.shape.slice(-2) as [number, number];
  const [b0, b1] = $b.shape.slice(-2) as [number, number];
  const [m, kA] = transposeA ? [a1, a0] : [a0, a1];
  const [kB, n] = transposeB ? [b1, b0] : [b0, b1];
  if (kA !== kB) {
    throw new OpError('matmul', 'b',
      `a of shape ${fmtShape($a.shape)} and b of shape ${fmtShape($b.shape)} (transposeA=${transposeA}, transposeB=${transposeB}): inner dimensions ${kA} and ${kB}`,
      'must have inner dimensions that match: a\'s columns (rows when transposeA) equal to b\'s rows (columns when transposeB)');
  }
  const batch = broadcastBatch($a, $b);
  const a3 = toRank3(castTo($a, 'float32'), batch), b3 = toRank3(castTo($b, 'float32'), batch);
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
