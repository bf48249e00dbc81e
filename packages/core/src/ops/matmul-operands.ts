import { sizeOf } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { shapesEqual } from '../util/shape.js';
import { castTo } from './elementwise.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './tile.js';

// Operand checks and the rank-3 form shared by matmul and fusedMatmul (not public API).

/** Refuses bool operands; int32 ones are computed in float32 (cast after every check). */
export function numericOperand(op: string, arg: string, t: Tensor): Tensor {
  if (t.dtype === 'bool') throw new OpError(op, arg, 'dtype bool', 'must be numeric (float32, or int32 which is computed in float32); cast it first');
  return t;
}

/** NumPy broadcasting of two batch shapes, with an error that names both full operand shapes. */
function broadcastBatch(op: string, a: Tensor, b: Tensor): number[] {
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new OpError(op, 'b', `a of shape ${fmtShape(a.shape)} and b of shape ${fmtShape(b.shape)} (batch dimensions ${fmtShape(batchA)} vs ${fmtShape(batchB)})`,
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

/** The operands of a matrix product in the engine's rank-3 form, with the product's shape. */
export interface MatmulOperands {
  a3: Tensor;
  b3: Tensor;
  /** The broadcast batch dimensions of the result. */
  batch: number[];
  m: number;
  n: number;
}

/**
 * Checks and converts the operands of `op` (matmul or fusedMatmul): numeric, rank >= 2, inner
 * dimensions equal, batch dimensions broadcastable; returns them cast to float32 in rank-3 form.
 *
 * @example
 * const { a3, b3, batch, m, n } = matmulOperands('matmul', a, b, false, false);
 */
export function matmulOperands(op: string, a: TensorLike, b: TensorLike, transposeA: boolean, transposeB: boolean): MatmulOperands {
  const $a = numericOperand(op, 'a', convert(a, 'a', op));
  const $b = numericOperand(op, 'b', convert(b, 'b', op));
  for (const [name, t] of [['a', $a], ['b', $b]] as const) {
    if (t.rank < 2) {
      throw new OpError(op, name, `shape ${fmtShape(t.shape)}`, 'must have rank 2 or more (matrices, optionally batched); use dot() for vectors');
    }
  }
  const [a0, a1] = $a.shape.slice(-2) as [number, number];
  const [b0, b1] = $b.shape.slice(-2) as [number, number];
  const [m, kA] = transposeA ? [a1, a0] : [a0, a1];
  const [kB, n] = transposeB ? [b1, b0] : [b0, b1];
  if (kA !== kB) {
    throw new OpError(op, 'b',
      `a of shape ${fmtShape($a.shape)} and b of shape ${fmtShape($b.shape)} (transposeA=${transposeA}, transposeB=${transposeB}): inner dimensions ${kA} and ${kB}`,
      'must have inner dimensions that match: a\'s columns (rows when transposeA) equal to b\'s rows (columns when transposeB)');
  }
  const batch = broadcastBatch(op, $a, $b);
  return { a3: toRank3(castTo($a, 'float32'), batch), b3: toRank3(castTo($b, 'float32'), batch), batch, m, n };
}
