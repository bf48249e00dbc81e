import { greater, minimum, mul, relu, sub, where, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, optionalNumberOption, singleInput, singleShape } from '../basic/layer-options.js';

/** Options of `layers.reLU`. */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (≥ 0; default none). */
  maxValue?: number | null;
  /** Slope below the threshold (≥ 0; default 0). Keras 3 option; TF.js's ReLU has only `maxValue`. */
  negativeSlope?: number;
  /** Inputs at or below it take the negative branch (≥ 0; default 0). Keras 3 option. */
  threshold?: number;
}

/**
 * Rectified linear unit, as Keras: `min(x, maxValue)` for `x > threshold`, else
 * `negativeSlope · (x - threshold)`. Masks pass through.
 *
 * @example
 * const r = new ReLU({ maxValue: 6 });
 */
export class ReLU extends Layer {
  static override readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = optionalNumberOption(this, 'maxValue', args.maxValue, { min: 0 });
    this.negativeSlope = numberOption(this, 'negativeSlope', args.negativeSlope, 0, { min: 0 });
    this.threshold = numberOption(this, 'threshold', args.threshold, 0, { min: 0 });
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    if (this.negativeSlope === 0 && this.threshold === 0) {
      return this.maxValue === null ? relu(x) : minimum(relu(x), this.maxValue);
    }
    const above = this.maxValue === null ? x : minimum(x, this.maxValue);
    return where(greater(x, this.threshold), above, mul(sub(x, this.threshold), this.negativeSlope));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}
