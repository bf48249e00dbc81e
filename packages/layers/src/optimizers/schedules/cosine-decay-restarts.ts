import { StrataError } from '@strata/core';
import { checkName, checkNumber } from '../check.js';
import { LearningRateSchedule, checkStep } from './learning-rate-schedule.js';

/** Options of {@link CosineDecayRestarts}. */
export interface CosineDecayRestartsOptions {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Length of the first period; > 0. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the previous one. Default 2. */
  tMul?: number;
  /** Each period starts at `mMul` times the previous period's starting rate. Default 1. */
  mMul?: number;
  /** The final rate of each period as a fraction of `initialLearningRate`. Default 0. */
  alpha?: number;
  /** Default `'SGDRDecay'`. */
  name?: string;
}

/**
 * Cosine decay with warm restarts (SGDR), as Keras 3's `CosineDecayRestarts`. With
 * `f = step / firstDecaySteps`: the restart index `i` and the fraction `c` of the current period are
 * `i = floor(f)`, `c = f - i` when `tMul = 1`, else
 * `i = floor(log(1 - f * (1 - tMul)) / log(tMul))`, `c = (f - (1 - tMul^i) / (1 - tMul)) / tMul^i`; then
 * `lr = initialLearningRate * ((1 - alpha) * 0.5 * mMul^i * (1 + cos(pi * c)) + alpha)`.
 * The restart index is found exactly on the host (Keras's float32 `log` can land one period off
 * exactly at a restart step).
 *
 * @example
 * const lr = schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100 });
 * lr.call(100); // 0.1 (the first restart; the second period lasts 200 steps)
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  readonly className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(options: CosineDecayRestartsOptions) {
    super();
    const o = options ?? ({} as CosineDecayRestartsOptions);
    this.initialLearningRate = checkNumber('CosineDecayRestarts', 'initialLearningRate', o.initialLearningRate, {}, 0.1);
    this.firstDecaySteps = checkNumber('CosineDecayRestarts', 'firstDecaySteps', o.firstDecaySteps, { min: 0, minOpen: true }, 1000);
    this.tMul = checkNumber('CosineDecayRestarts', 'tMul', o.tMul ?? 2, { min: 0, minOpen: true }, 2);
    this.mMul = checkNumber('CosineDecayRestarts', 'mMul', o.mMul ?? 1, {}, 1);
    this.alpha = checkNumber('CosineDecayRestarts', 'alpha', o.alpha ?? 0, {}, 0);
    this.name = checkName('CosineDecayRestarts', o.name ?? 'SGDRDecay');
  }

  call(step: number): number {
    const f = checkStep(this.className, step) / this.firstDecaySteps;
    const { tMul } = this;
    let i: number;
    let c: number;
    if (tMul === 1) {
      i = Math.floor(f);
      c = f - i;
    } else {
      if (tMul < 1 && f >= 1 / (1 - tMul)) {
        throw new StrataError(
          `CosineDecayRestarts.call: with tMul ${tMul} < 1 the periods shrink and all of them together last ${this.firstDecaySteps / (1 - tMul)} steps; received step ${step}, beyond them. Use tMul >= 1 to keep restarting, or stop training before that step.`,
        );
      }
      // Start of period k, in units of the first period.
      const start = (k: number): number => (1 - tMul ** k) / (1 - tMul);
      i = Math.max(0, Math.floor(Math.log(1 - f * (1 - tMul)) / Math.log(tMul)));
      while (start(i + 1) <= f) i++;
      while (i > 0 && start(i) > f) i--;
      c = (f - start(i)) / tMul ** i;
    }
    const cosine = 0.5 * this.mMul ** i * (1 + Math.cos(Math.PI * c));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      firstDecaySteps: this.firstDecaySteps,
      tMul: this.tMul,
      mMul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}
