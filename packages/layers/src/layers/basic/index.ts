import { registerLayer } from '../layer-registry.js';
import { Activation, type ActivationArgs } from './activation.js';
import { AlphaDropout, type AlphaDropoutArgs } from './alpha-dropout.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Flatten, type FlattenArgs } from './flatten.js';
import { GaussianDropout, type GaussianDropoutArgs } from './gaussian-dropout.js';
import { GaussianNoise, type GaussianNoiseArgs } from './gaussian-noise.js';
import { Masking, type MaskingArgs } from './masking.js';
import { Permute, type PermuteArgs } from './permute.js';
import { RepeatVector, type RepeatVectorArgs } from './repeat-vector.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { SpatialDropout1D, SpatialDropout2D, type SpatialDropout1DArgs, type SpatialDropout2DArgs } from './spatial-dropout.js';

export {
  Activation, AlphaDropout, Dropout, Flatten, GaussianDropout, GaussianNoise, Masking, Permute, RepeatVector, Reshape,
  SpatialDropout1D, SpatialDropout2D,
  type ActivationArgs, type AlphaDropoutArgs, type DropoutArgs, type FlattenArgs, type GaussianDropoutArgs, type GaussianNoiseArgs,
  type MaskingArgs, type PermuteArgs, type RepeatVectorArgs, type ReshapeArgs, type SpatialDropout1DArgs, type SpatialDropout2DArgs,
};
export { SeedStream } from './seed-stream.js';
export type { DataFormat } from './layer-options.js';

registerLayer(Activation);
registerLayer(AlphaDropout);
registerLayer(Dropout);
registerLayer(Flatten);
registerLayer(GaussianDropout);
registerLayer(GaussianNoise);
registerLayer(Masking);
registerLayer(Permute);
registerLayer(RepeatVector);
registerLayer(Reshape);
registerLayer(SpatialDropout1D);
registerLayer(SpatialDropout2D);

/**
 * Applies an activation function.
 *
 * @example
 * layers.activation({ activation: 'relu' });
 */
export function activation(args: ActivationArgs): Activation {
  return new Activation(args);
}

/**
 * Inverted dropout, active while training.
 *
 * @example
 * layers.dropout({ rate: 0.5 });
 */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}

/**
 * Drops whole channels of `[batch, steps, channels]` sequences while training.
 *
 * @example
 * layers.spatialDropout1d({ rate: 0.2 });
 */
export function spatialDropout1d(args: SpatialDropout1DArgs): SpatialDropout1D {
  return new SpatialDropout1D(args);
}

/**
 * Drops whole channels of images while training.
 *
 * @example
 * layers.spatialDropout2d({ rate: 0.2 });
 */
export function spatialDropout2d(args: SpatialDropout2DArgs): SpatialDropout2D {
  return new SpatialDropout2D(args);
}

/**
 * Adds Gaussian noise while training.
 *
 * @example
 * layers.gaussianNoise({ stddev: 0.1 });
 */
export function gaussianNoise(args: GaussianNoiseArgs): GaussianNoise {
  return new GaussianNoise(args);
}

/**
 * Multiplies by mean-1 Gaussian noise while training.
 *
 * @example
 * layers.gaussianDropout({ rate: 0.3 });
 */
export function gaussianDropout(args: GaussianDropoutArgs): GaussianDropout {
  return new GaussianDropout(args);
}

/**
 * Dropout that keeps SELU networks self-normalizing.
 *
 * @example
 * layers.alphaDropout({ rate: 0.1 });
 */
export function alphaDropout(args: AlphaDropoutArgs): AlphaDropout {
  return new AlphaDropout(args);
}

/**
 * Flattens each sample.
 *
 * @example
 * layers.flatten();
 */
export function flatten(args: FlattenArgs = {}): Flatten {
  return new Flatten(args);
}

/**
 * Reshapes each sample.
 *
 * @example
 * layers.reshape({ targetShape: [7, 7, 16] });
 */
export function reshape(args: ReshapeArgs): Reshape {
  return new Reshape(args);
}

/**
 * Permutes the sample dims (1-based).
 *
 * @example
 * layers.permute({ dims: [2, 1] });
 */
export function permute(args: PermuteArgs): Permute {
  return new Permute(args);
}

/**
 * Repeats each sample along a new axis.
 *
 * @example
 * layers.repeatVector({ n: 4 });
 */
export function repeatVector(args: RepeatVectorArgs): RepeatVector {
  return new RepeatVector(args);
}

/**
 * Masks padding timesteps.
 *
 * @example
 * layers.masking({ maskValue: 0 });
 */
export function masking(args: MaskingArgs = {}): Masking {
  return new Masking(args);
}
