import { elu, type Tensor } from '@strata/core';
import type { LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { numberOption, singleInput, singleShape } from '../basic/layer-options.js';

/** Options of `layers.eLU`. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative branch (default 1). TF.js's ELU layer accepts only 1; any value works here. */
  alpha?: number;
}

/**
 * Exponential linear unit: `x` for `x > 0`, `alpha · (exp(x) - 1)` below. Masks pass through.
 *
 * @example
 * const e = new ELU({ alpha: 1 });
 */
export class ELU extends Layer {
  static override readonly className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = numberOption(this, 'alpha', args.alpha, 1);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return elu(singleInput(this, inputs), this.alpha);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
