import { Registry } from '../registry.js';
import { Adadelta, type AdadeltaOptions } from './adadelta.js';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, type AdamOptions } from './adam.js';
import { Adamax, type AdamaxOptions } from './adamax.js';
import { AdamW, type AdamWOptions } from './adamw.js';
import { normalizeConfig } from './check.js';
import { Nadam, type NadamOptions } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { scheduleRegistry } from './schedules/index.js';
import { SGD, type SGDOptions } from './sgd.js';

export { Optimizer, type OptimizerOptions, type GradientPair, type SlotSpec, type Slots, type WeightDecayExclusions } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { Nadam, type NadamOptions } from './nadam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { clipGradientsByValue, clipGradientByNorm, clipGradientsByGlobalNorm, globalNorm } from './clipping.js';
export * from './schedules/index.js';

/**
 * Optimizers by Keras class name (any case, underscores ignored: `'adam'`, `'Adam'`, `'rmsprop'`,
 * `'RMSprop'`, `'SGD'`), by `{ className, config }` (Strata camelCase or Keras snake_case keys; a
 * learning-rate schedule as a nested `{ className, config }`), or an instance.
 *
 * @example
 * optimizerRegistry.get('adam');
 * optimizerRegistry.get({ className: 'SGD', config: { learning_rate: 0.1, momentum: 0.9 } });
 */
export const optimizerRegistry = new Registry<Optimizer>('optimizer', (x): x is Optimizer => x instanceof Optimizer);

/** Keras base-optimizer keys Strata does not implement, accepted only at their Keras defaults. */
const KERAS_ONLY: Readonly<Record<string, (value: unknown) => boolean>> = {
  useEma: (v) => v === false || v === null,
  emaMomentum: () => true,
  emaOverwriteFrequency: (v) => v === null,
  lossScaleFactor: (v) => v === null,
  gradientAccumulationSteps: (v) => v === null,
  jitCompile: () => true,
  isLegacyOptimizer: (v) => v === false,
  // Keras 2's learning-rate decay (Keras 3 ignores it with a warning); TF.js writes 0 here for Adamax.
  decay: (v) => v === 0 || v === null,
};

function register<O>(className: string, create: (options: O) => Optimizer, aliases: readonly string[] = [], adapt: (config: Record<string, unknown>) => Record<string, unknown> = (c) => c): void {
  const known = Object.keys(create({} as O).getConfig());
  optimizerRegistry.register(
    className,
    (config) => {
      const options = normalizeConfig(className, adapt(config ?? {}), known, KERAS_ONLY);
      const lr = options.learningRate;
      if (lr !== null && typeof lr === 'object') options.learningRate = scheduleRegistry.get(lr as { className: string; config?: Record<string, unknown> });
      return create(options as O);
    },
    aliases,
  );
}

register<SGDOptions>('SGD', (o) => new SGD(o));
register<AdamOptions>('Adam', (o) => new Adam(o));
register<AdamWOptions>('AdamW', (o) => new AdamW(o));
register<AdamaxOptions>('Adamax', (o) => new Adamax(o));
register<NadamOptions>('Nadam', (o) => new Nadam(o));
// TF.js writes RMSprop's rho as `decay`; Keras 2 configs carry both `rho` and a learning-rate `decay`.
register<RMSpropOptions>('RMSprop', (o) => new RMSprop(o), [], (c) => {
  if (c.rho !== undefined || c.decay === undefined) return c;
  const { decay, ...rest } = c;
  return { ...rest, rho: decay };
});
register<AdagradOptions>('Adagrad', (o) => new Adagrad(o));
register<AdadeltaOptions>('Adadelta', (o) => new Adadelta(o));

/**
 * Optimizer factories, Keras-style: `optimizers.adam({...})` is `new Adam({...})`.
 *
 * @example
 * model.compile({ optimizer: optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
 */
export const optimizers = {
  /** @see SGD */
  sgd: (options?: SGDOptions): SGD => new SGD(options),
  /** @see Adam */
  adam: (options?: AdamOptions): Adam => new Adam(options),
  /** @see AdamW */
  adamw: (options?: AdamWOptions): AdamW => new AdamW(options),
  /** @see Adamax */
  adamax: (options?: AdamaxOptions): Adamax => new Adamax(options),
  /** @see Nadam */
  nadam: (options?: NadamOptions): Nadam => new Nadam(options),
  /** @see RMSprop */
  rmsprop: (options?: RMSpropOptions): RMSprop => new RMSprop(options),
  /** @see Adagrad */
  adagrad: (options?: AdagradOptions): Adagrad => new Adagrad(options),
  /** @see Adadelta */
  adadelta: (options?: AdadeltaOptions): Adadelta => new Adadelta(options),
} as const;
