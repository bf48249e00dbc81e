import { registerLayer } from '../layer-registry.js';
import { AveragePooling1D } from './average-pooling1d.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { GlobalMaxPooling1D } from './global-max-pooling1d.js';
import { GlobalMaxPooling2D } from './global-max-pooling2d.js';
import type { GlobalPoolingArgs } from './global-pooling.js';
import { MaxPooling1D } from './max-pooling1d.js';
import { MaxPooling2D } from './max-pooling2d.js';
import type { Pooling1DArgs } from './pooling1d.js';
import type { Pooling2DArgs } from './pooling2d.js';

export { Pooling1D, type Pooling1DArgs } from './pooling1d.js';
export { Pooling2D, type Pooling2DArgs } from './pooling2d.js';
export { GlobalPooling, type GlobalPoolingArgs } from './global-pooling.js';
export { MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D };
export { GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D };

registerLayer(MaxPooling1D);
registerLayer(MaxPooling2D);
registerLayer(AveragePooling1D);
registerLayer(AveragePooling2D);
registerLayer(GlobalMaxPooling1D);
registerLayer(GlobalMaxPooling2D);
registerLayer(GlobalAveragePooling1D);
registerLayer(GlobalAveragePooling2D);

/**
 * 1-D max pooling (alias `maxPool1d`).
 *
 * @example
 * layers.maxPooling1d({ poolSize: 2 });
 */
export function maxPooling1d(args: Pooling1DArgs = {}): MaxPooling1D {
  return new MaxPooling1D(args);
}
/** `maxPooling1d` under its TF.js alias. */
export const maxPool1d = maxPooling1d;

/**
 * 2-D max pooling (alias `maxPool2d`).
 *
 * @example
 * layers.maxPooling2d({ poolSize: 2, strides: 2 });
 */
export function maxPooling2d(args: Pooling2DArgs = {}): MaxPooling2D {
  return new MaxPooling2D(args);
}
/** `maxPooling2d` under its TF.js alias. */
export const maxPool2d = maxPooling2d;

/**
 * 1-D average pooling (aliases `avgPool1d`, `avgPooling1d`).
 *
 * @example
 * layers.averagePooling1d({ poolSize: 2 });
 */
export function averagePooling1d(args: Pooling1DArgs = {}): AveragePooling1D {
  return new AveragePooling1D(args);
}
/** `averagePooling1d` under its TF.js alias. */
export const avgPool1d = averagePooling1d;
/** `averagePooling1d` under its TF.js alias. */
export const avgPooling1d = averagePooling1d;

/**
 * 2-D average pooling (aliases `avgPool2d`, `avgPooling2d`).
 *
 * @example
 * layers.averagePooling2d({ poolSize: [2, 2] });
 */
export function averagePooling2d(args: Pooling2DArgs = {}): AveragePooling2D {
  return new AveragePooling2D(args);
}
/** `averagePooling2d` under its TF.js alias. */
export const avgPool2d = averagePooling2d;
/** `averagePooling2d` under its TF.js alias. */
export const avgPooling2d = averagePooling2d;

/**
 * The max over all steps, per channel (alias `globalMaxPool1d`).
 *
 * @example
 * layers.globalMaxPooling1d();
 */
export function globalMaxPooling1d(args: GlobalPoolingArgs = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(args);
}
/** `globalMaxPooling1d` under its TF.js alias. */
export const globalMaxPool1d = globalMaxPooling1d;

/**
 * The max over all positions of an image, per channel (alias `globalMaxPool2d`).
 *
 * @example
 * layers.globalMaxPooling2d({ keepDims: true });
 */
export function globalMaxPooling2d(args: GlobalPoolingArgs = {}): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(args);
}
/** `globalMaxPooling2d` under its TF.js alias. */
export const globalMaxPool2d = globalMaxPooling2d;

/**
 * The mean over all (unmasked) steps, per channel.
 *
 * @example
 * layers.globalAveragePooling1d();
 */
export function globalAveragePooling1d(args: GlobalPoolingArgs = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}

/**
 * The mean over all positions of an image, per channel.
 *
 * @example
 * layers.globalAveragePooling2d();
 */
export function globalAveragePooling2d(args: GlobalPoolingArgs = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(args);
}
