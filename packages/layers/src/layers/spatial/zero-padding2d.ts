import { pad, type Tensor } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { normalizeDataFormat, normalizePairs, type DataFormat, type PairPair } from '../convolutional/conv-utils.js';

/** Options of `layers.zeroPadding2d`. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** One number for every side, `[height, width]` (symmetric), or `[[top, bottom], [left, right]]` (default 1). */
  padding?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  /** `'channelsLast'` (default) or `'channelsFirst'`. */
  dataFormat?: DataFormat;
}

/**
 * Adds rows and columns of zeros around images `[batch, height, width, channels]`.
 *
 * @example
 * const padLayer = new ZeroPadding2D({ padding: [[1, 0], [2, 2]] });
 * padLayer.apply(input({ shape: [28, 28, 3] })); // SymbolicTensor [null, 29, 32, 3]
 */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  readonly padding: PairPair;
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    if (args === null || typeof args !== 'object') throw new LayerError(this, `expected an options object; received ${JSON.stringify(args)}`);
    this.padding = normalizePairs(this, 'padding', args.padding ?? 1);
    this.dataFormat = normalizeDataFormat(this, args.dataFormat);
    this.inputSpec = [{ ndim: 4 }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [h, w] = this.padding;
    return pad(x, this.dataFormat === 'channelsFirst' ? [[0, 0], [0, 0], h, w] : [[0, 0], h, w, [0, 0]]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    const first = this.dataFormat === 'channelsFirst' ? 2 : 1;
    return shape.map((d, i) => {
      const p = this.padding[i - first];
      return d === null || !p ? d : d + p[0] + p[1];
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}
