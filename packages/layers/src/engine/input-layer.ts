import { StrataError, type DType } from '@strata/core';
import type { LayerShape } from './errors.js';
import { Layer } from './layer.js';
import { uniqueLayerName } from './naming.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic.js';

/** Options of `input()`. */
export interface InputArgs {
  /** Shape of one sample (without the batch dim); `null` for a dim of any size. */
  shape?: readonly (number | null)[];
  /** Shape with the batch dim. */
  batchShape?: readonly (number | null)[];
  batchSize?: number;
  dtype?: DType;
  name?: string;
  /** Masks flow from this input when its samples are padded (Keras `Input(sparse/ragged)` is not supported). */
}

function checkShape(shape: readonly (number | null)[], what: string): void {
  if (!Array.isArray(shape) || shape.some((d) => d !== null && (!Number.isInteger(d) || d < 0))) {
    throw new StrataError(`input: ${what} must be an array of non-negative integers or null; received ${JSON.stringify(shape)}.`);
  }
}

/**
 * The layer behind `input()`: it has no weights and produces the model's input placeholder.
 *
 * @example
 * const layer = new InputLayer({ batchShape: [null, 784], name: 'pixels' });
 */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  readonly output: SymbolicTensor;

  constructor(args: InputArgs) {
    const batchShape: LayerShape = args.batchShape
      ? [...args.batchShape]
      : args.shape
        ? [args.batchSize ?? null, ...args.shape]
        : (() => {
          throw new StrataError('input: give `shape` (one sample, e.g. { shape: [784] }) or `batchShape` (with the batch dim).');
        })();
    if (args.shape && args.batchShape) throw new StrataError('input: give `shape` or `batchShape`, not both.');
    checkShape(batchShape, args.batchShape ? 'batchShape' : 'shape');
    super({ name: args.name ?? uniqueLayerName('InputLayer').replace(/^input_layer/, 'input'), dtype: args.dtype ?? 'float32', batchInputShape: batchShape });
    this.built = true;
    this.output = new SymbolicTensor(batchShape, this.dtype, this, 0, 0, this.name);
    this.inboundNodes.push(new Node(this, [], [this.output], {}, 0));
  }

  override getConfig(): Record<string, unknown> {
    return { batchInputShape: this.batchInputShape, dtype: this.dtype, name: this.name, sparse: false };
  }
}

/**
 * A symbolic model input: the start of a Functional model.
 *
 * @example
 * const x = input({ shape: [28, 28, 1], name: 'image' });
 * const y = layers.flatten().apply(x);
 */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
