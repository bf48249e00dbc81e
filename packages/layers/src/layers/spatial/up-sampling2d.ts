import { add, gather, mul, sub, tensor, type Tensor } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { inChannelsLast, joinShape, normalizeDataFormat, normalizeTuple, spatialDims, type DataFormat } from '../convolutional/conv-utils.js';

/** How UpSampling2D fills the new cells. */
export type Interpolation = 'nearest' | 'bilinear';

/** Options of `layers.upSampling2d`. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Upsampling factors `[height, width]`, or one number for both (default 2). */
  size?: number | readonly [number, number];
  /** `'nearest'` (default: each cell repeated) or `'bilinear'`. */
  interpolation?: Interpolation;
  /** `'channelsLast'` (default) or `'channelsFirst'`. */
  dataFormat?: DataFormat;
  /**
   * Bilinear only: sample at half-pixel centres (default true, as Keras and `tf.image.resize`).
   * False reproduces TF.js's UpSampling2D (`resizeBilinear` without half-pixel centres); models
   * loaded from files TF.js wrote get false, so they predict what TF.js predicts.
   */
  halfPixelCenters?: boolean;
}

/**
 * Where output cell `i` of an axis resized from `n` to `n * scale` reads from: with half-pixel
 * centres (TensorFlow's `resize`, bilinear, no antialias) source `(i + 0.5) / scale - 0.5`, without
 * them (TF.js's `resizeBilinear`) source `i / scale`; the two neighbours clamped to the axis, and
 * the weight of the upper one. These depend on shapes only, never on values, so computing them on
 * the host reads nothing back from the engine.
 */
function bilinearTaps(n: number, scale: number, halfPixelCenters: boolean): { lower: number[]; upper: number[]; weight: number[] } {
  const lower: number[] = [];
  const upper: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n * scale; i++) {
    const src = halfPixelCenters ? (i + 0.5) / scale - 0.5 : i / scale;
    const floor = Math.floor(src);
    lower.push(Math.max(floor, 0));
    upper.push(Math.min(Math.ceil(src), n - 1));
    weight.push(src - floor);
  }
  return { lower, upper, weight };
}

/**
 * Enlarges images `[batch, height, width, channels]` by integer factors. `'nearest'` repeats each
 * row and column `size` times. `'bilinear'` interpolates with half-pixel centres, matching Keras
 * (2 and 3) and TensorFlow's `tf.image.resize(method='bilinear', antialias=False)`; TF.js's
 * UpSampling2D instead calls `resizeBilinear` without half-pixel centres (`halfPixelCenters:
 * false` here, which `loadModel` sets for files TF.js wrote). For `[[1, 2], [3, 4]]` upsampled by 2,
 * the first row is `[1, 1.25, 1.75, 2]` with half-pixel centres, `[1, 1.5, 2, 2]` without.
 *
 * @example
 * const up = new UpSampling2D({ size: [2, 3], interpolation: 'bilinear' });
 * up.apply(input({ shape: [8, 8, 3] })); // SymbolicTensor [null, 16, 24, 3]
 */
export class UpSampling2D extends Layer {
  static override readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: Interpolation;
  readonly dataFormat: DataFormat;
  readonly halfPixelCenters: boolean;

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    if (args === null || typeof args !== 'object') throw new LayerError(this, `expected an options object; received ${JSON.stringify(args)}`);
    this.size = normalizeTuple(this, 'size', args.size ?? 2, 2) as [number, number];
    const interpolation = args.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new LayerError(this, `interpolation must be 'nearest' or 'bilinear'; received ${JSON.stringify(args.interpolation)}`);
    }
    this.interpolation = interpolation;
    this.dataFormat = normalizeDataFormat(this, args.dataFormat);
    if (args.halfPixelCenters !== undefined && typeof args.halfPixelCenters !== 'boolean') {
      throw new LayerError(this, `halfPixelCenters must be true or false; received ${JSON.stringify(args.halfPixelCenters)}`);
    }
    this.halfPixelCenters = args.halfPixelCenters ?? true;
    this.inputSpec = [{ ndim: 4 }];
  }

  /** Resizes channels-last `x` along `axis` (1 or 2) by `scale`. */
  private resizeAxis(x: Tensor, axis: number, scale: number): Tensor {
    const n = x.shape[axis]!;
    if (scale === 1) return x;
    if (this.interpolation === 'nearest') {
      return gather(x, tensor(Array.from({ length: n * scale }, (_, i) => Math.floor(i / scale)), [n * scale], 'int32'), axis);
    }
    const { lower, upper, weight } = bilinearTaps(n, scale, this.halfPixelCenters);
    const a = gather(x, tensor(lower, [lower.length], 'int32'), axis);
    const b = gather(x, tensor(upper, [upper.length], 'int32'), axis);
    const shape = [1, 1, 1, 1];
    shape[axis] = weight.length;
    return add(a, mul(sub(b, a), tensor(weight, shape)));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return inChannelsLast(x, this.dataFormat, (t) => this.resizeAxis(this.resizeAxis(t, 1, this.size[0]), 2, this.size[1]));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    const spatial = spatialDims(shape, this.dataFormat).map((d, i) => (d === null ? null : d * this.size[i]!));
    const channels = shape[this.dataFormat === 'channelsFirst' ? 1 : 3] ?? null;
    return joinShape(shape[0] ?? null, spatial, channels, this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    const config = { ...super.getConfig(), size: [...this.size], interpolation: this.interpolation, dataFormat: this.dataFormat };
    // Written only when it departs from Keras, so Keras-style files stay as Keras writes them.
    return this.halfPixelCenters ? config : { ...config, halfPixelCenters: false };
  }
}
