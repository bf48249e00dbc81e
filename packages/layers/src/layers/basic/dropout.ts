import { cast, clone, greaterEqual, mul, uniform, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, seedOption, shapeOption, singleInput, singleShape } from './layer-options.js';
import { SeedStream } from './seed-stream.js';

/** Options of `layers.dropout`. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /**
   * Shape of the keep/drop mask, broadcast over the input: `[null, 1, null]` drops whole timesteps'
   * features together. `null` entries take the input's size. Default: the input's shape.
   */
  noiseShape?: readonly (number | null)[] | null;
  /** Makes the sequence of masks repeatable (see {@link SeedStream}). */
  seed?: number | null;
}

/**
 * Checks a noise shape against an input shape: same rank, and each dim `null`, 1 or the input's.
 *
 * @example
 * checkNoiseShape(this, [null, 1, null], [null, 10, 64]); // fine: one decision per sample and feature
 */
export function checkNoiseShape(layer: Layer, noiseShape: readonly (number | null)[], shape: LayerShape): void {
  const ok = noiseShape.length === shape.length
    && noiseShape.every((d, i) => d === null || d === 1 || shape[i] === null || d === shape[i]);
  if (!ok) {
    throw new LayerError(layer, `noiseShape ${shapeString(noiseShape)} does not fit input shape ${shapeString(shape)}; it needs one entry per input dim, each null, 1 or the input's size`);
  }
}

/**
 * The mask shape for a concrete input: `null` entries of `noiseShape` take the input's size.
 *
 * @example
 * resolveNoiseShape([null, 1, null], [32, 10, 64]); // [32, 1, 64]
 */
export function resolveNoiseShape(noiseShape: readonly (number | null)[] | null, shape: readonly number[]): number[] {
  return noiseShape ? noiseShape.map((d, i) => d ?? shape[i]!) : [...shape];
}

/**
 * Inverted dropout: while training, zeroes each input with probability `rate` and scales the rest
 * by `1 / (1 - rate)`, so the expected sum is unchanged and inference is the identity. Inactive
 * unless called with `training: true` (as `fit` does). Masks pass through.
 *
 * @example
 * const d = new Dropout({ rate: 0.5 });
 * d.apply(x, { training: true });
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  protected readonly stream: SeedStream;

  constructor(args: DropoutArgs) {
    super(args);
    this.rate = numberOption(this, 'rate', args?.rate, undefined, { min: 0, max: 1, maxInclusive: false });
    this.noiseShape = args.noiseShape === undefined || args.noiseShape === null ? null : shapeOption(this, 'noiseShape', args.noiseShape, true);
    this.seed = seedOption(this, args.seed);
    this.stream = new SeedStream(this.seed);
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(this, inputShape);
    if (this.noiseShape) checkNoiseShape(this, this.noiseShape, shape);
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    if (args.training !== true || this.rate === 0) return clone(x);
    if (this.noiseShape) checkNoiseShape(this, this.noiseShape, x.shape);
    const draw = uniform(this.maskShape(x.shape), 0, 1, this.stream.next());
    // Keep where u >= rate (probability 1 - rate), as TF.js's dropout does.
    const keep = cast(greaterEqual(draw, this.rate), 'float32');
    return mul(x, mul(keep, 1 / (1 - this.rate)));
  }

  /** The shape of the keep/drop mask for an input of shape `shape`. */
  protected maskShape(shape: readonly number[]): number[] {
    return resolveNoiseShape(this.noiseShape, shape);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape ? [...this.noiseShape] : null, seed: this.seed };
  }
}
