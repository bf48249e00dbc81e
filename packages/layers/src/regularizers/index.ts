import { Registry, type Identifier } from '../registry.js';
import { L1, L1L2, L2, type L1L2Options, type L1Options, type L2Options } from './l1-l2.js';
import { Regularizer } from './regularizer.js';

export { Regularizer } from './regularizer.js';
export { L1, L2, L1L2, type L1Options, type L2Options, type L1L2Options } from './l1-l2.js';

/**
 * Every regularizer by Keras class name (`'l1'`, `'l2'`, `'l1_l2'` and `'l1l2'` also resolve).
 *
 * @example
 * regularizerRegistry.get({ className: 'L2', config: { l2: 1e-4 } });
 */
export const regularizerRegistry = new Registry<Regularizer>('regularizer', (x): x is Regularizer => x instanceof Regularizer);

regularizerRegistry.register('L1', (c) => new L1(c as L1Options));
regularizerRegistry.register('L2', (c) => new L2(c as L2Options));
regularizerRegistry.register('L1L2', (c) => new L1L2(c as L1L2Options));

/**
 * Resolves a name, a `{ className, config }` or an instance to a regularizer.
 *
 * @example
 * getRegularizer('l2').apply(kernel);
 */
export function getRegularizer(identifier: Identifier<Regularizer>): Regularizer {
  return regularizerRegistry.get(identifier);
}

/**
 * Regularizer factories under TF.js's names (`regularizers.l2({ l2: 1e-4 })`).
 *
 * @example
 * const penalty = regularizers.l1l2({ l1: 1e-5, l2: 1e-4 }).apply(kernel);
 */
export const regularizers = {
  l1: (config: L1Options = {}): L1 => new L1(config),
  l2: (config: L2Options = {}): L2 => new L2(config),
  l1l2: (config: L1L2Options = {}): L1L2 => new L1L2(config),
};
