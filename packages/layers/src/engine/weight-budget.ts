/** Reports a weight that does not fit the budget: what it is, its size, and what was left. */
export type OverBudget = (weight: string, elements: number, left: number) => Error;

let active: { left: number; overBudget: OverBudget } | null = null;

/**
 * Runs `fn` with a cap on the number of weight elements that layers may create in it. Loading a
 * saved model builds layers from sizes a file claims (`units`, `filters`, `input_dim`); the cap
 * makes a damaged or hostile file fail with the loader's error before the allocation, instead of
 * exhausting memory. Budgets nest: the innermost applies.
 *
 * @example
 * const model = withWeightBudget(1e6, (w, n) => new Error(`${w}: ${n} elements`), () => buildModel(config));
 */
export function withWeightBudget<T>(elements: number, overBudget: OverBudget, fn: () => T): T {
  const previous = active;
  active = { left: elements, overBudget };
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/**
 * Counts a weight about to be created against the current budget (none outside
 * {@link withWeightBudget}); throws the budget's error when it does not fit.
 *
 * @example
 * chargeWeight('dense/kernel', [784, 128]);
 */
export function chargeWeight(weight: string, shape: readonly number[]): void {
  if (!active) return;
  const elements = shape.reduce((n, d) => n * d, 1);
  // NaN and Infinity fail this test too.
  if (!(elements <= active.left)) throw active.overBudget(weight, elements, active.left);
  active.left -= elements;
}
