import { matmul } from '../ops/matmul.js';
import { registerGradient } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { sumToShape } from './helpers.js';

// The 'matmul' kernel is recorded on rank-3 operands `[Ba, ., .]`, `[Bb, ., .]` whose batch is
// equal or 1; broadcasting of user-level batch dims happened before it (reshape/broadcastTo carry
// their own gradients). Each case below is the product rule for C = op(A) op(B), and a batch of 1
// that was broadcast over the output batch is summed back. An operand whose gradient nobody wants
// (a network's input) gets none: that product is as large as the forward one.

/**
 * The product rule for `C = op(A) op(B)` given C's gradient `g`, each side only when wanted, with
 * a batch of 1 that was broadcast over the output batch summed back.
 *
 * @example
 * const [da, db] = matmulGradients(dy, a, b, false, false, true, true);
 */
export function matmulGradients(
  g: Tensor, a: Tensor, b: Tensor, tA: boolean, tB: boolean, needA: boolean, needB: boolean,
): [Tensor | null, Tensor | null] {
  const da = !needA ? null
    : !tA ? matmul(g, b, false, !tB)
      : tB ? matmul(b, g, true, true) : matmul(b, g, false, true);
  const db = !needB ? null
    : !tB ? matmul(a, g, !tA, false)
      : tA ? matmul(g, a, true, true) : matmul(g, a, true, false);
  return [da && sumToShape(da, a.shape), db && sumToShape(db, b.shape)];
}

registerGradient('matmul', ([dy], { inputs: [a, b], attrs, needsGrad: [needA, needB] }) =>
  matmulGradients(dy!, a!, b!, attrs.transposeA, attrs.transposeB, needA!, needB!));
