import { Registry, type Identifier } from '../registry.js';
import { Constraint } from './constraint.js';
import { NonNeg } from './non-neg.js';
import { MaxNorm, MinMaxNorm, UnitNorm, type MaxNormOptions, type MinMaxNormOptions, type UnitNormOptions } from './norm-constraints.js';

export { Constraint } from './constraint.js';
export { MaxNorm, MinMaxNorm, UnitNorm, type MaxNormOptions, type MinMaxNormOptions, type UnitNormOptions } from './norm-constraints.js';
export { NonNeg } from './non-neg.js';

/**
 * Every constraint by Keras class name (`'max_norm'`, `'maxNorm'`, `'non_neg'`, ... also resolve).
 *
 * @example
 * constraintRegistry.get({ className: 'MaxNorm', config: { maxValue: 3 } });
 */
export const constraintRegistry = new Registry<Constraint>('constraint', (x): x is Constraint => x instanceof Constraint);

constraintRegistry.register('MaxNorm', (c) => new MaxNorm(c as MaxNormOptions));
constraintRegistry.register('MinMaxNorm', (c) => new MinMaxNorm(c as MinMaxNormOptions));
constraintRegistry.register('NonNeg', (c) => new NonNeg(c as Record<string, never>));
constraintRegistry.register('UnitNorm', (c) => new UnitNorm(c as UnitNormOptions));

/**
 * Resolves a name, a `{ className, config }` or an instance to a constraint.
 *
 * @example
 * getConstraint('nonNeg').apply(kernel);
 */
export function getConstraint(identifier: Identifier<Constraint>): Constraint {
  return constraintRegistry.get(identifier);
}

/**
 * Constraint factories under TF.js's names (`constraints.maxNorm({ maxValue: 3 })`).
 *
 * @example
 * const projected = constraints.unitNorm({ axis: 0 }).apply(kernel);
 */
export const constraints = {
  maxNorm: (config: MaxNormOptions = {}): MaxNorm => new MaxNorm(config),
  minMaxNorm: (config: MinMaxNormOptions = {}): MinMaxNorm => new MinMaxNorm(config),
  nonNeg: (): NonNeg => new NonNeg(),
  unitNorm: (config: UnitNormOptions = {}): UnitNorm => new UnitNorm(config),
};
