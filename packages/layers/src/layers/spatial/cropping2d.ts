import { slice, type Tensor } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { normalizeDataFormat, normalizePairs, type DataFormat, type PairPair } from '../convolutional/conv-utils.js';

/** Options of `layers.cropping2d`. */
export interface Cropping2DArgs extends LayerArgs {
  /** One number for every side, `[height, width]` (symmetric), or `[[top, bottom], [left, right]]` (default 0). */
  cropping?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  /** `'channelsLast'` (default) or `'channelsFirst'`. */
  dataFormat?: DataFormat;
}

const AXES = ['height', 'width'];

/**
 * Removes rows and columns from the edges of images `[batch, height, width, channels]`. Cropping
 * away a whole axis is an error, raised when the model is defined if the size is known.
 *
 * @example
 * const crop = new Cropping2D({ cropping: [[2, 2], [4, 4]] });
 * crop.apply(input({ shape: [28, 28, 3] })); // SymbolicTensor [null, 24, 20, 3]
 */
export class Cropping2D extends Layer {
  static override readonly className = 'Cropping2D';
  readonly cropping: PairPair;
  readonly dataFormat: DataFormat;

  constructor(args: Cropping2DArgs = {}) {
    super(args);
    if (args === null || typeof args !== 'object') throw new LayerError(this, `expected an options object; received ${JSON.stringify(args)}`);
    this.cropping = normalizePairs(this, 'cropping', args.cropping ?? 0);
    this.dataFormat = normalizeDataFormat(this, args.dataFormat);
    this.inputSpec = [{ ndim: 4 }];
  }

  private get firstSpatial(): number {
    return this.dataFormat === 'channelsFirst' ? 2 : 1;
  }

  /** The output spatial sizes, refusing crops that leave nothing. */
  private outputSpatial(shape: LayerShape): (number | null)[] {
    return this.cropping.map(([before, after], i) => {
      const d = shape[this.firstSpatial + i] ?? null;
      if (d === null) return null;
      if (before + after >= d) {
        throw new LayerError(this,
          `cropping ${JSON.stringify(this.cropping)} removes ${before + after} of the ${d} cells along the ${AXES[i]} of the input, leaving none; ` +
          `received input shape ${shapeString(shape)}. Crop less than the input ${AXES[i]}`);
      }
      return d - before - after;
    });
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [h, w] = this.outputSpatial(x.shape) as [number, number];
    const [[top], [left]] = this.cropping;
    return this.dataFormat === 'channelsFirst'
      ? slice(x, [0, 0, top, left], [-1, -1, h, w])
      : slice(x, [0, top, left, 0], [-1, h, w, -1]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    const spatial = this.outputSpatial(shape);
    return shape.map((d, i) => (i >= this.firstSpatial && i < this.firstSpatial + 2 ? spatial[i - this.firstSpatial] ?? null : d));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}
