import { exp, greater, logSumExp, softmax, sub, where, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { axisOption, singleInput, singleShape } from '../basic/layer-options.js';

/** Options of `layers.softmax`. */
export interface SoftmaxArgs extends LayerArgs {
  /** Axis (or axes) to normalize over (default -1). */
  axis?: number | readonly number[];
}

/** What Keras puts in masked positions before the softmax (float32). */
const MASKED_LOGIT = -1e9;

/**
 * Softmax over `axis`. With a mask of the input's rank (1 = keep, 0 = masked; size-1 dims
 * broadcast, e.g. `[batch, 1, keys]` for attention scores `[batch, queries, keys]`), masked
 * positions are set to -1e9 first, so they get ~0 probability (Keras). A lower-rank mask (the
 * per-timestep mask from `Embedding({ maskZero })` or `Masking`) marks whole timesteps rather than
 * positions along `axis`: it is not applied to the values and is passed on unchanged.
 *
 * @example
 * const s = new Softmax({ axis: -1 });
 * s.apply(scores, { mask: keyMask });
 */
export class Softmax extends Layer {
  static override readonly className = 'Softmax';
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    this.axis = axisOption(this, 'axis', args.axis, -1, true);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    let x = singleInput(this, inputs);
    const mask = Array.isArray(args.mask) ? args.mask[0] : args.mask;
    if (mask && mask.rank === x.rank) {
      const fits = mask.shape.every((d, i) => d === x.shape[i] || d === 1);
      if (!fits) {
        throw new LayerError(this, `mask of shape ${shapeString(mask.shape)} does not broadcast to the input's shape ${shapeString(x.shape)}; give a mask of the input's shape (or with size-1 dims to broadcast)`);
      }
      // Numeric masks keep where > 0.5, as Keras.
      const keep = mask.dtype === 'bool' ? mask : greater(mask, 0.5);
      x = where(keep, x, MASKED_LOGIT);
    }
    if (typeof this.axis === 'number') return softmax(x, this.axis);
    if (this.axis.length === 1) return softmax(x, this.axis[0]!);
    return exp(sub(x, logSumExp(x, this.axis, true)));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : [...this.axis] };
  }
}
