import { registerLayer } from '../layer-registry.js';
import { Cropping2D, type Cropping2DArgs } from './cropping2d.js';
import { UpSampling2D, type Interpolation, type UpSampling2DArgs } from './up-sampling2d.js';
import { ZeroPadding2D, type ZeroPadding2DArgs } from './zero-padding2d.js';

export { Cropping2D, type Cropping2DArgs, UpSampling2D, type UpSampling2DArgs, type Interpolation, ZeroPadding2D, type ZeroPadding2DArgs };

registerLayer(UpSampling2D);
registerLayer(ZeroPadding2D);
registerLayer(Cropping2D);

/**
 * Enlarges images by integer factors, `'nearest'` or `'bilinear'`.
 *
 * @example
 * layers.upSampling2d({ size: 2, interpolation: 'bilinear' });
 */
export function upSampling2d(args: UpSampling2DArgs = {}): UpSampling2D {
  return new UpSampling2D(args);
}

/**
 * Adds zeros around images.
 *
 * @example
 * layers.zeroPadding2d({ padding: [[1, 1], [2, 2]] });
 */
export function zeroPadding2d(args: ZeroPadding2DArgs = {}): ZeroPadding2D {
  return new ZeroPadding2D(args);
}

/**
 * Removes rows and columns from the edges of images (alias `cropping2D`, TF.js's spelling).
 *
 * @example
 * layers.cropping2d({ cropping: [[2, 2], [4, 4]] });
 */
export function cropping2d(args: Cropping2DArgs = {}): Cropping2D {
  return new Cropping2D(args);
}
/** `cropping2d` under its TF.js alias. */
export const cropping2D = cropping2d;
