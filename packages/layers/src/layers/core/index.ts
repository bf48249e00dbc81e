import { registerLayer } from '../layer-registry.js';
import { Dense, type DenseArgs } from './dense.js';

export { Dense, type DenseArgs };

registerLayer(Dense);

/**
 * A fully connected layer.
 *
 * @example
 * layers.dense({ units: 10, activation: 'softmax' });
 */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
