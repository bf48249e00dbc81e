import { registerLayer } from '../layer-registry.js';
import { ELU, type ELUArgs } from './elu.js';
import { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';
import { PReLU, type PReLUArgs } from './prelu.js';
import { ReLU, type ReLUArgs } from './relu.js';
import { Softmax, type SoftmaxArgs } from './softmax.js';

export { ELU, LeakyReLU, PReLU, ReLU, Softmax, type ELUArgs, type LeakyReLUArgs, type PReLUArgs, type ReLUArgs, type SoftmaxArgs };

registerLayer(ELU);
registerLayer(LeakyReLU);
registerLayer(PReLU);
registerLayer(ReLU);
registerLayer(Softmax);

/**
 * A rectified linear unit layer.
 *
 * @example
 * layers.reLU({ maxValue: 6 });
 */
export function reLU(args: ReLUArgs = {}): ReLU {
  return new ReLU(args);
}

/**
 * A leaky ReLU layer (slope `alpha`, default 0.3, below zero).
 *
 * @example
 * layers.leakyReLU({ alpha: 0.1 });
 */
export function leakyReLU(args: LeakyReLUArgs = {}): LeakyReLU {
  return new LeakyReLU(args);
}

/**
 * A ReLU with learned negative slopes.
 *
 * @example
 * layers.pReLU({ sharedAxes: [1, 2] });
 */
export function pReLU(args: PReLUArgs = {}): PReLU {
  return new PReLU(args);
}

/**
 * An exponential linear unit layer.
 *
 * @example
 * layers.eLU({ alpha: 1 });
 */
export function eLU(args: ELUArgs = {}): ELU {
  return new ELU(args);
}

/**
 * A softmax layer (honours masks of the input's rank).
 *
 * @example
 * layers.softmax({ axis: -1 });
 */
export function softmax(args: SoftmaxArgs = {}): Softmax {
  return new Softmax(args);
}

/**
 * TF.js's name for {@link pReLU}.
 *
 * @example
 * layers.prelu({ alphaInitializer: { className: 'Constant', config: { value: 0.25 } } });
 */
export const prelu = pReLU;

/**
 * TF.js's name for {@link eLU}.
 *
 * @example
 * layers.elu();
 */
export const elu = eLU;
