import { registerLayer } from '../layer-registry.js';
import { Normalization, type NormalizationArgs, type NumericValues } from './normalization.js';
import { Rescaling, type RescalingArgs } from './rescaling.js';

export { Normalization, Rescaling, type NormalizationArgs, type NumericValues, type RescalingArgs };

registerLayer(Normalization);
registerLayer(Rescaling);

/**
 * A layer computing `x · scale + offset`.
 *
 * @example
 * layers.rescaling({ scale: 1 / 255 });
 */
export function rescaling(args: RescalingArgs): Rescaling {
  return new Rescaling(args);
}

/**
 * A feature-standardizing layer; give `mean` and `variance`, or call `adapt(data)`.
 *
 * @example
 * const norm = layers.normalization();
 * await norm.adapt(features);
 */
export function normalization(args: NormalizationArgs = {}): Normalization {
  return new Normalization(args);
}
