import type { OptimizerUpdate } from '@strata/engine-api';
import { runKernel1 } from '../dispatch.js';
import { tidy } from '../memory.js';
import { runtime } from '../runtime.js';
import { noRecord } from '../tape.js';
import type { Tensor, Variable } from '../tensor.js';
import { clone } from './creation.js';
import { optimizerUpdateDecomposed } from './optimizer-decompose.js';
import { checkTensors, checkUpdate } from './optimizer-update-check.js';

export { optimizerSlotNames } from './optimizer-update-check.js';

/**
 * Gives `v` a buffer of its own when another tensor shares its current one (a `clone`, the tensor
 * it was created or assigned from, a handle a tape saved), so that writing it in place changes
 * `v` alone. Cast to the same dtype is the contract's copy: every kernel returns a new buffer.
 */
function ensureExclusive(v: Variable): void {
  if (runtime.refs(v.dataId) <= 1) return;
  const out = { shape: v.shape, dtype: v.dtype };
  const copy = runKernel1('cast', [v], out, (e, [vi]) => e.cast(vi!, out));
  v.assign(copy);
  copy.dispose();
}

/**
 * One optimizer step for one variable: updates `variable` and its `slots` (Keras's optimizer
 * variables, in the order `optimizerSlotNames(update)` gives) by the rule `update` describes, with
 * its host scalars. The formulas are documented on each `OptimizerUpdate` member (`sgd`, `adam`,
 * `rmsprop`, `adagrad`); weight decay and gradient clipping are separate steps done before.
 *
 * Engines with the `optimizerUpdate` fast path do the step in one kernel that writes the variable
 * and the slots in place; any of them whose buffer another tensor shares is first given a copy of
 * its own, so tensors taken from them earlier (`clone`, `getWeights`) keep their values. Without
 * it, the step runs in core ops and `assign`s the results. Either way nothing is recorded on a
 * gradient tape and no tensor is left behind.
 *
 * @example
 * const w = variable(tensor([1, 2]));
 * const m = variable(zeros([2]), false);
 * optimizerUpdate({ kind: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: false }, w, tensor([0.5, -1]), [m]);
 * await w.data(); // [0.95, 2.1]
 */
export function optimizerUpdate(update: OptimizerUpdate, variable: Variable, gradient: Tensor, slots: readonly Variable[] = []): void {
  const u = checkUpdate(update);
  checkTensors(u, variable, gradient, slots);
  tidy(() => noRecord(() => {
    const engine = runtime.engine;
    if (!engine.optimizerUpdate) {
      optimizerUpdateDecomposed(u, variable, gradient, slots);
      return;
    }
    const written = [variable, ...slots];
    // A gradient that is itself one of the written variables gets a second handle first, so the
    // copy below leaves it the old values.
    const g = (written as Tensor[]).includes(gradient) ? clone(gradient) : gradient;
    for (const v of written) ensureExclusive(v);
    const info = (t: Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    engine.optimizerUpdate(u, info(variable), info(g), slots.map(info));
  }));
}
