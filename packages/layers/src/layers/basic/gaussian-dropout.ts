import { clone, mul, normal, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, seedOption, singleInput, singleShape } from './layer-options.js';
import { SeedStream } from './seed-stream.js';

/** Options of `layers.gaussianDropout`. */
export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability of the equivalent Bernoulli dropout, in [0, 1). */
  rate: number;
  seed?: number | null;
}

/**
 * Multiplies the inputs by Gaussian noise of mean 1 and standard deviation `sqrt(rate / (1 - rate))`
 * while training (the variance of inverted Bernoulli dropout at that rate); the identity at
 * inference. Masks pass through.
 *
 * @example
 * const d = new GaussianDropout({ rate: 0.3 });
 */
export class GaussianDropout extends Layer {
  static override readonly className = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | null;
  private readonly stream: SeedStream;

  constructor(args: GaussianDropoutArgs) {
    super(args);
    this.rate = numberOption(this, 'rate', args?.rate, undefined, { min: 0, max: 1, maxInclusive: false });
    this.seed = seedOption(this, args.seed);
    this.stream = new SeedStream(this.seed);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    if (args.training !== true || this.rate === 0) return clone(x);
    return mul(x, normal(x.shape, 1, Math.sqrt(this.rate / (1 - this.rate)), this.stream.next()));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
