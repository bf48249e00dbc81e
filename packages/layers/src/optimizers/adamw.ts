import { StrataError } from '@strata/core';
import { Adam, type AdamOptions } from './adam.js';

/** Options of {@link AdamW}: Adam's, with `weightDecay` defaulting to 0.004. */
export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay; required (not null). Default 0.004. */
  weightDecay?: number;
}

/**
 * AdamW (Loshchilov & Hutter), as Keras 3's `AdamW`: Adam with decoupled weight decay. Before the
 * Adam update of each step, `w -= w * weightDecay * lr` (skipping variables passed to
 * `excludeFromWeightDecay`); the Adam update itself is {@link Adam}'s.
 *
 * @example
 * const opt = optimizers.adamw({ learningRate: 1e-3, weightDecay: 0.01 });
 * opt.excludeFromWeightDecay({ varNames: ['bias'] });
 */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';

  constructor(options: AdamWOptions = {}) {
    const o = options ?? {};
    if (o.weightDecay === null) {
      throw new StrataError(`AdamW: option 'weightDecay' must be a number >= 0; received null. Pass e.g. weightDecay: 0.004, or use optimizers.adam() for no weight decay.`);
    }
    super({ ...o, name: o.name ?? 'adamw', weightDecay: o.weightDecay ?? 0.004 });
  }
}
