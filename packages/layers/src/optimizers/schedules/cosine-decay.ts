import { checkName, checkNumber, checkOptionalNumber } from '../check.js';
import { LearningRateSchedule, checkStep } from './learning-rate-schedule.js';

/** Options of {@link CosineDecay}. */
export interface CosineDecayOptions {
  /** The rate at step 0 (the start of the warmup when there is one). */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup); > 0. */
  decaySteps: number;
  /** The final rate as a fraction of the decay's starting rate. Default 0. */
  alpha?: number;
  /** If set, the rate rises linearly from `initialLearningRate` to this over `warmupSteps`, then decays from it. */
  warmupTarget?: number | null;
  /** Steps of the linear warmup. Default 0. */
  warmupSteps?: number;
  /** Default `'CosineDecay'`. */
  name?: string;
}

/**
 * Cosine decay with optional linear warmup, as Keras 3's `CosineDecay`. With `W = warmupSteps`,
 * `s = min(step, decaySteps + W)` (or `min(step, decaySteps)` without a warmup target):
 *
 * warmup (`warmupTarget` set and `s < W`): `lr = initialLearningRate + (warmupTarget - initialLearningRate) * s / W`;
 * decay: `lr = from * ((1 - alpha) * 0.5 * (1 + cos(pi * (s - W) / decaySteps)) + alpha)`,
 * where `from` is `warmupTarget` if set, else `initialLearningRate` (and `W` counts as 0).
 *
 * @example
 * const lr = schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 });
 * lr.call(50); // 0.05
 * lr.call(600); // 0.05
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  readonly name: string;

  constructor(options: CosineDecayOptions) {
    super();
    const o = options ?? ({} as CosineDecayOptions);
    this.initialLearningRate = checkNumber('CosineDecay', 'initialLearningRate', o.initialLearningRate, {}, 0.1);
    this.decaySteps = checkNumber('CosineDecay', 'decaySteps', o.decaySteps, { min: 0, minOpen: true }, 1000);
    this.alpha = checkNumber('CosineDecay', 'alpha', o.alpha ?? 0, {}, 0);
    this.warmupTarget = checkOptionalNumber('CosineDecay', 'warmupTarget', o.warmupTarget, {}, 0.1);
    this.warmupSteps = checkNumber('CosineDecay', 'warmupSteps', o.warmupSteps ?? 0, { min: 0 }, 100);
    this.name = checkName('CosineDecay', o.name ?? 'CosineDecay');
  }

  call(step: number): number {
    const s = checkStep(this.className, step);
    if (this.warmupTarget === null) return this.decay(Math.min(s, this.decaySteps), this.initialLearningRate);
    const clamped = Math.min(s, this.decaySteps + this.warmupSteps);
    if (clamped < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (clamped / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decay(clamped - this.warmupSteps, this.warmupTarget);
  }

  private decay(s: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (s / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
      name: this.name,
    };
  }
}
