import type { AdagradUpdate, AdamUpdate, OptimizerUpdate, RmspropUpdate, SgdUpdate } from '@strata/engine-api';
import type { Tensor, Variable } from '../tensor.js';
import { add, div, maximum, mul, sub } from './binary.js';
import { sqrt, square } from './unary.js';

// The optimizer updates in core ops, for engines without the `optimizerUpdate` fast path: each
// new value is a new tensor that `assign` swaps in. The order of operations is the one the layers'
// optimizers have always used (and the one the CPU kernel follows), so the two paths agree to
// float32 rounding. Callers run this inside `tidy`, off the tape.

/**
 * Applies `update` to `variable` and `slots` with `assign` (arguments already checked).
 *
 * @example
 * optimizerUpdateDecomposed({ kind: 'adagrad', learningRate: 0.1, epsilon: 1e-7 }, w, g, [acc]);
 */
export function optimizerUpdateDecomposed(update: OptimizerUpdate, variable: Variable, gradient: Tensor, slots: readonly Variable[]): void {
  switch (update.kind) {
    case 'sgd':
      return sgd(update, variable, gradient, slots);
    case 'adam':
      return adam(update, variable, gradient, slots);
    case 'rmsprop':
      return rmsprop(update, variable, gradient, slots);
    case 'adagrad':
      return adagrad(update, variable, gradient, slots);
  }
}

function sgd({ learningRate: lr, momentum, nesterov }: SgdUpdate, w: Variable, g: Tensor, [m]: readonly Variable[]): void {
  if (momentum === 0 || !m) {
    w.assign(sub(w, mul(g, lr)));
    return;
  }
  m.assign(sub(mul(m, momentum), mul(g, lr)));
  w.assign(add(w, nesterov ? sub(mul(m, momentum), mul(g, lr)) : m));
}

function adam({ alpha, beta1, beta2, epsilon, amsgrad }: AdamUpdate, w: Variable, g: Tensor, [m, v, vHat]: readonly Variable[]): void {
  m!.assign(add(m!, mul(sub(g, m!), 1 - beta1)));
  v!.assign(add(v!, mul(sub(square(g), v!), 1 - beta2)));
  let second: Variable = v!;
  if (amsgrad) {
    vHat!.assign(maximum(vHat!, v!));
    second = vHat!;
  }
  w.assign(sub(w, div(mul(m!, alpha), add(sqrt(second), epsilon))));
}

function rmsprop({ learningRate: lr, rho, momentum, epsilon, centered }: RmspropUpdate, w: Variable, g: Tensor, slots: readonly Variable[]): void {
  const v = slots[0]!;
  v.assign(add(mul(v, rho), mul(square(g), 1 - rho)));
  let denominator: Tensor;
  if (centered) {
    const a = slots[momentum > 0 ? 2 : 1]!;
    a.assign(add(mul(a, rho), mul(g, 1 - rho)));
    denominator = add(sub(v, square(a)), epsilon);
  } else {
    denominator = add(v, epsilon);
  }
  const increment = div(mul(g, lr), sqrt(denominator));
  if (momentum > 0) {
    const mom = slots[1]!;
    mom.assign(add(mul(mom, momentum), increment));
    w.assign(sub(w, mom));
  } else {
    w.assign(sub(w, increment));
  }
}

function adagrad({ learningRate: lr, epsilon }: AdagradUpdate, w: Variable, g: Tensor, [acc]: readonly Variable[]): void {
  acc!.assign(add(acc!, square(g)));
  w.assign(sub(w, div(mul(g, lr), sqrt(add(acc!, epsilon)))));
}
