import { matmul } from '../ops/matmul.js';
import { registerGradient } from '../tape.js';
import { sumToShape } from './helpers.js';

// The 'matmul' kernel is recorded on rank-3 operands `[Ba, ., .]`, `[Bb, ., .]` whose batch is
// equal or 1; broadcasting of user-level batch dims happened before it (reshape/broadcastTo carry
// their own gradients). Each case below is the product rule for C = op(A) op(B), and a batch of 1
// that was broadcast over the output batch is summed back.
registerGradient('matmul', ([dy], { inputs: [a, b], attrs }) => {
  const g = dy!;
  const tA = attrs.transposeA as boolean, tB = attrs.transposeB as boolean;
  let da, db;
  if (!tA && !tB) {
    da = matmul(g, b!, false, true);
    db = matmul(a!, g, true, false);
  } else if (!tA && tB) {
    da = matmul(g, b!, false, false);
    db = matmul(g, a!, true, false);
  } else if (tA && !tB) {
    da = matmul(b!, g, false, true);
    db = matmul(a!, g, false, false);
  } else {
    da = matmul(b!, g, true, true);
    db = matmul(g, a!, true, true);
  }
  return [sumToShape(da, a!.shape), sumToShape(db, b!.shape)];
});
