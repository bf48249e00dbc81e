import { add, clone, normal, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, seedOption, singleInput, singleShape } from './layer-options.js';
import { SeedStream } from './seed-stream.js';

/** Options of `layers.gaussianNoise`. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise (≥ 0). */
  stddev: number;
  seed?: number | null;
}

/**
 * Adds zero-mean Gaussian noise while training (a regularizer against overfitting to exact
 * values); the identity at inference. Masks pass through.
 *
 * @example
 * const n = new GaussianNoise({ stddev: 0.1 });
 */
export class GaussianNoise extends Layer {
  static override readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | null;
  private readonly stream: SeedStream;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    this.stddev = numberOption(this, 'stddev', args?.stddev, undefined, { min: 0 });
    this.seed = seedOption(this, args.seed);
    this.stream = new SeedStream(this.seed);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    if (args.training !== true || this.stddev === 0) return clone(x);
    return add(x, normal(x.shape, 0, this.stddev, this.stream.next()));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
