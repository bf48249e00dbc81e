import { Registry } from '../../registry.js';
import { normalizeConfig } from '../check.js';
import { CosineDecay, type CosineDecayOptions } from './cosine-decay.js';
import { CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine-decay-restarts.js';
import { ExponentialDecay, type ExponentialDecayOptions } from './exponential-decay.js';
import { InverseTimeDecay, type InverseTimeDecayOptions } from './inverse-time-decay.js';
import { LearningRateSchedule } from './learning-rate-schedule.js';
import { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise-constant-decay.js';
import { PolynomialDecay, type PolynomialDecayOptions } from './polynomial-decay.js';

export { LearningRateSchedule } from './learning-rate-schedule.js';
export { ExponentialDecay, type ExponentialDecayOptions } from './exponential-decay.js';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise-constant-decay.js';
export { PolynomialDecay, type PolynomialDecayOptions } from './polynomial-decay.js';
export { InverseTimeDecay, type InverseTimeDecayOptions } from './inverse-time-decay.js';
export { CosineDecay, type CosineDecayOptions } from './cosine-decay.js';
export { CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine-decay-restarts.js';

/**
 * Learning-rate schedules by Keras class name, for saved optimizer configs: configs may use
 * Strata's camelCase keys or Keras's snake_case ones.
 *
 * @example
 * scheduleRegistry.get({ className: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 } });
 */
export const scheduleRegistry = new Registry<LearningRateSchedule>('learning rate schedule', (x): x is LearningRateSchedule => x instanceof LearningRateSchedule);

function register<O>(className: string, known: readonly string[], create: (options: O) => LearningRateSchedule, aliases: readonly string[] = []): void {
  scheduleRegistry.register(className, (config) => create(normalizeConfig(className, config, known) as O), aliases);
}

register<ExponentialDecayOptions>('ExponentialDecay', ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'], (o) => new ExponentialDecay(o));
register<PiecewiseConstantDecayOptions>('PiecewiseConstantDecay', ['boundaries', 'values', 'name'], (o) => new PiecewiseConstantDecay(o));
register<PolynomialDecayOptions>('PolynomialDecay', ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'], (o) => new PolynomialDecay(o));
register<InverseTimeDecayOptions>('InverseTimeDecay', ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'], (o) => new InverseTimeDecay(o));
register<CosineDecayOptions>('CosineDecay', ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps', 'name'], (o) => new CosineDecay(o));
register<CosineDecayRestartsOptions>('CosineDecayRestarts', ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha', 'name'], (o) => new CosineDecayRestarts(o));

/**
 * Schedule factories, Keras-style: `schedules.exponentialDecay({...})` is `new ExponentialDecay({...})`.
 *
 * @example
 * const opt = optimizers.sgd({ learningRate: schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }) });
 */
export const schedules = {
  /** @see ExponentialDecay */
  exponentialDecay: (options: ExponentialDecayOptions): ExponentialDecay => new ExponentialDecay(options),
  /** @see PiecewiseConstantDecay */
  piecewiseConstantDecay: (options: PiecewiseConstantDecayOptions): PiecewiseConstantDecay => new PiecewiseConstantDecay(options),
  /** @see PolynomialDecay */
  polynomialDecay: (options: PolynomialDecayOptions): PolynomialDecay => new PolynomialDecay(options),
  /** @see InverseTimeDecay */
  inverseTimeDecay: (options: InverseTimeDecayOptions): InverseTimeDecay => new InverseTimeDecay(options),
  /** @see CosineDecay */
  cosineDecay: (options: CosineDecayOptions): CosineDecay => new CosineDecay(options),
  /** @see CosineDecayRestarts */
  cosineDecayRestarts: (options: CosineDecayRestartsOptions): CosineDecayRestarts => new CosineDecayRestarts(options),
} as const;
