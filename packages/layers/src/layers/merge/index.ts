import { registerLayer } from '../layer-registry.js';
import { Add } from './add.js';
import { Average } from './average.js';
import { Concatenate, type ConcatenateArgs } from './concatenate.js';
import { Dot, type DotArgs } from './dot.js';
import { Maximum } from './maximum.js';
import type { MergeArgs } from './merge.js';
import { Minimum } from './minimum.js';
import { Multiply } from './multiply.js';
import { Subtract } from './subtract.js';

export { Merge, type MergeArgs } from './merge.js';
export { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs, type DotArgs };

registerLayer(Add);
registerLayer(Average);
registerLayer(Concatenate);
registerLayer(Dot);
registerLayer(Maximum);
registerLayer(Minimum);
registerLayer(Multiply);
registerLayer(Subtract);

/**
 * A layer that sums its inputs elementwise.
 *
 * @example
 * layers.add().apply([a, b]);
 */
export function add(args: MergeArgs = {}): Add {
  return new Add(args);
}

/**
 * A layer that subtracts its second input from its first.
 *
 * @example
 * layers.subtract().apply([a, b]);
 */
export function subtract(args: MergeArgs = {}): Subtract {
  return new Subtract(args);
}

/**
 * A layer that multiplies its inputs elementwise.
 *
 * @example
 * layers.multiply().apply([a, b]);
 */
export function multiply(args: MergeArgs = {}): Multiply {
  return new Multiply(args);
}

/**
 * A layer that averages its inputs elementwise.
 *
 * @example
 * layers.average().apply([a, b]);
 */
export function average(args: MergeArgs = {}): Average {
  return new Average(args);
}

/**
 * A layer that takes the elementwise maximum of its inputs.
 *
 * @example
 * layers.maximum().apply([a, b]);
 */
export function maximum(args: MergeArgs = {}): Maximum {
  return new Maximum(args);
}

/**
 * A layer that takes the elementwise minimum of its inputs.
 *
 * @example
 * layers.minimum().apply([a, b]);
 */
export function minimum(args: MergeArgs = {}): Minimum {
  return new Minimum(args);
}

/**
 * A layer that joins its inputs along an axis.
 *
 * @example
 * layers.concatenate({ axis: -1 }).apply([a, b]);
 */
export function concatenate(args: ConcatenateArgs = {}): Concatenate {
  return new Concatenate(args);
}

/**
 * A layer that takes the per-sample dot product of two inputs.
 *
 * @example
 * layers.dot({ axes: 1, normalize: true }).apply([u, v]);
 */
export function dot(args: DotArgs): Dot {
  return new Dot(args);
}
