import { Registry, type Identifier } from '../registry.js';
import { Constant, Ones, Zeros, type ConstantOptions } from './constant.js';
import { IdentityInitializer, type IdentityOptions } from './identity.js';
import { Initializer } from './initializer.js';
import { Orthogonal, type OrthogonalOptions } from './orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal, type RandomNormalOptions, type RandomUniformOptions } from './random.js';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, VarianceScaling,
  type SeedOptions, type VarianceScalingOptions,
} from './variance-scaling.js';

export { Initializer } from './initializer.js';
export { Zeros, Ones, Constant, type ConstantOptions } from './constant.js';
export { RandomUniform, RandomNormal, TruncatedNormal, type RandomUniformOptions, type RandomNormalOptions } from './random.js';
export {
  VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, computeFans,
  type VarianceScalingOptions, type SeedOptions, type FanMode, type Distribution,
} from './variance-scaling.js';
export { Orthogonal, type OrthogonalOptions } from './orthogonal.js';
export { IdentityInitializer, type IdentityOptions } from './identity.js';

/**
 * Every initializer by Keras class name, with Keras's snake_case names and TF.js's spellings as
 * aliases (`'glorot_uniform'`, `'glorotUniform'`, `'LeCunNormal'`, `'zero'`, ...).
 *
 * @example
 * initializerRegistry.get('he_normal');
 * initializerRegistry.get({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out' } });
 */
export const initializerRegistry = new Registry<Initializer>('initializer', (x): x is Initializer => x instanceof Initializer);

initializerRegistry.register('Zeros', (c) => new Zeros(c as Record<string, never>), ['zero']);
initializerRegistry.register('Ones', (c) => new Ones(c as Record<string, never>), ['one']);
initializerRegistry.register('Constant', (c) => new Constant(c as ConstantOptions));
initializerRegistry.register('RandomUniform', (c) => new RandomUniform(c as RandomUniformOptions), ['uniform']);
initializerRegistry.register('RandomNormal', (c) => new RandomNormal(c as RandomNormalOptions), ['normal']);
initializerRegistry.register('TruncatedNormal', (c) => new TruncatedNormal(c as RandomNormalOptions));
initializerRegistry.register('VarianceScaling', (c) => new VarianceScaling(c as VarianceScalingOptions));
initializerRegistry.register('GlorotUniform', (c) => new GlorotUniform(c as SeedOptions));
initializerRegistry.register('GlorotNormal', (c) => new GlorotNormal(c as SeedOptions));
initializerRegistry.register('HeUniform', (c) => new HeUniform(c as SeedOptions));
initializerRegistry.register('HeNormal', (c) => new HeNormal(c as SeedOptions));
// 'LeCunNormal' (TF.js) already matches 'LecunNormal': names compare without case.
initializerRegistry.register('LecunUniform', (c) => new LecunUniform(c as SeedOptions));
initializerRegistry.register('LecunNormal', (c) => new LecunNormal(c as SeedOptions));
initializerRegistry.register('Orthogonal', (c) => new Orthogonal(c as OrthogonalOptions), ['OrthogonalInitializer']);
initializerRegistry.register('Identity', (c) => new IdentityInitializer(c as IdentityOptions), ['IdentityInitializer']);

/**
 * Resolves a name, a `{ className, config }` or an instance to an initializer.
 *
 * @example
 * getInitializer('glorotUniform').apply([4, 2]);
 */
export function getInitializer(identifier: Identifier<Initializer>): Initializer {
  return initializerRegistry.get(identifier);
}

/**
 * Initializer factories under TF.js's names (`initializers.glorotUniform({ seed: 1 })`).
 *
 * @example
 * const w = initializers.heNormal({ seed: 42 }).apply([3, 3, 16, 32]);
 */
export const initializers = {
  zeros: (): Zeros => new Zeros(),
  ones: (): Ones => new Ones(),
  constant: (config: ConstantOptions = {}): Constant => new Constant(config),
  randomUniform: (config: RandomUniformOptions = {}): RandomUniform => new RandomUniform(config),
  randomNormal: (config: RandomNormalOptions = {}): RandomNormal => new RandomNormal(config),
  truncatedNormal: (config: RandomNormalOptions = {}): TruncatedNormal => new TruncatedNormal(config),
  varianceScaling: (config: VarianceScalingOptions = {}): VarianceScaling => new VarianceScaling(config),
  glorotUniform: (config: SeedOptions = {}): GlorotUniform => new GlorotUniform(config),
  glorotNormal: (config: SeedOptions = {}): GlorotNormal => new GlorotNormal(config),
  heUniform: (config: SeedOptions = {}): HeUniform => new HeUniform(config),
  heNormal: (config: SeedOptions = {}): HeNormal => new HeNormal(config),
  lecunUniform: (config: SeedOptions = {}): LecunUniform => new LecunUniform(config),
  lecunNormal: (config: SeedOptions = {}): LecunNormal => new LecunNormal(config),
  /** TF.js's spelling of `lecunUniform`. */
  leCunUniform: (config: SeedOptions = {}): LecunUniform => new LecunUniform(config),
  /** TF.js's spelling of `lecunNormal`. */
  leCunNormal: (config: SeedOptions = {}): LecunNormal => new LecunNormal(config),
  orthogonal: (config: OrthogonalOptions = {}): Orthogonal => new Orthogonal(config),
  identity: (config: IdentityOptions = {}): IdentityInitializer => new IdentityInitializer(config),
};
