import { any, cast, mul, notEqual, tidy, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, singleInput, singleShape } from './layer-options.js';

/** Options of `layers.masking`. */
export interface MaskingArgs extends LayerArgs {
  /** Timesteps whose features all equal this value are masked (default 0). */
  maskValue?: number;
}

/**
 * Marks padding timesteps of `[batch, steps, features]` sequences: a step whose features all equal
 * `maskValue` is masked (its output zeroed), and the mask `[batch, steps]` flows to the layers that
 * use masks (RNNs, attention, losses).
 *
 * @example
 * const m = new Masking({ maskValue: 0 });
 */
export class Masking extends Layer {
  static override readonly className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    this.maskValue = numberOption(this, 'maskValue', args.maskValue, 0);
    this.supportsMasking = true;
    this.inputSpec = [{ minNdim: 2 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    const keep = any(notEqual(x, this.maskValue), -1, true);
    return mul(x, cast(keep, x.dtype));
  }

  override computeMask(inputs: Tensor | Tensor[], _mask?: Tensor | (Tensor | null)[] | null): Tensor {
    const x = singleInput(this, inputs);
    return tidy(() => any(notEqual(x, this.maskValue), -1));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
