import type { LayerArgs } from '../../engine/layer.js';
import { Dropout } from './dropout.js';
import { dataFormatOption, type DataFormat } from './layer-options.js';

/** Options of `layers.spatialDropout1d`. */
export interface SpatialDropout1DArgs extends LayerArgs {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
  seed?: number | null;
}

/** Options of `layers.spatialDropout2d`. */
export interface SpatialDropout2DArgs extends SpatialDropout1DArgs {
  /** Where the channels are (default `'channelsLast'`: `[batch, rows, cols, channels]`). */
  dataFormat?: DataFormat;
}

/**
 * Dropout of whole feature maps of sequences `[batch, steps, channels]`: each channel of each
 * sample is kept or dropped for every step at once, which regularizes where neighbouring steps are
 * strongly correlated. Active only while training.
 *
 * @example
 * const d = new SpatialDropout1D({ rate: 0.2 });
 */
export class SpatialDropout1D extends Dropout {
  static override readonly className: string = 'SpatialDropout1D';

  constructor(args: SpatialDropout1DArgs) {
    super({ ...args, noiseShape: null });
    this.inputSpec = [{ ndim: 3 }];
  }

  protected override maskShape(shape: readonly number[]): number[] {
    return [shape[0]!, 1, shape[2]!];
  }

  override getConfig(): Record<string, unknown> {
    const { noiseShape: _n, ...config } = super.getConfig();
    return config;
  }
}

/**
 * Dropout of whole feature maps of images: each channel of each sample is kept or dropped for every
 * pixel at once. Active only while training.
 *
 * @example
 * const d = new SpatialDropout2D({ rate: 0.2, dataFormat: 'channelsLast' });
 */
export class SpatialDropout2D extends Dropout {
  static override readonly className: string = 'SpatialDropout2D';
  readonly dataFormat: DataFormat;

  constructor(args: SpatialDropout2DArgs) {
    super({ ...args, noiseShape: null });
    this.dataFormat = dataFormatOption(this, args.dataFormat);
    this.inputSpec = [{ ndim: 4 }];
  }

  protected override maskShape(shape: readonly number[]): number[] {
    return this.dataFormat === 'channelsLast' ? [shape[0]!, 1, 1, shape[3]!] : [shape[0]!, shape[1]!, 1, 1];
  }

  override getConfig(): Record<string, unknown> {
    const { noiseShape: _n, ...config } = super.getConfig();
    return { ...config, dataFormat: this.dataFormat };
  }
}
