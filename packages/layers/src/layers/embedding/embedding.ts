import { OpError, cast, gather, notEqual, tidy, type DType, type Tensor, type Variable } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { booleanOption, numberOption, optionFailure, singleInput, singleShape } from '../basic/layer-options.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';

/** Options of `layers.embedding`. */
export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: ids run from 0 to `inputDim - 1`. */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Initial vectors (default `'randomUniform'` on [-0.05, 0.05), Keras's `'uniform'`). */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  embeddingsConstraint?: ConstraintIdentifier | null;
  /**
   * Treat id 0 as padding: the layer outputs a mask `ids != 0` that downstream layers (RNNs,
   * attention, losses) use to skip padded steps. Reserve 0 for padding in the vocabulary then.
   */
  maskZero?: boolean;
  /** Length of the sequences, when fixed (TF.js/Keras 2; fills an unknown sequence dim of the output shape). */
  inputLength?: number | readonly number[] | null;
}

/**
 * Turns integer ids into dense vectors: `[batch, ...]` ids → `[batch, ..., outputDim]` float32,
 * by looking up rows of the `embeddings` weight `[inputDim, outputDim]`. Float ids are truncated
 * to integers. Ids outside `[0, inputDim)` are an error on engines that can check them without
 * stalling (the CPU engine); elsewhere their vectors are unspecified.
 *
 * @example
 * const emb = new Embedding({ inputDim: 10000, outputDim: 64, maskZero: true });
 */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength: number[] | null;
  private readonly embeddingsInitializer;
  private readonly embeddingsRegularizer;
  private readonly activityRegularizer;
  private readonly embeddingsConstraint;
  embeddings: Variable | null = null;

  constructor(args: EmbeddingArgs) {
    super(args);
    this.inputDim = numberOption(this, 'inputDim', args?.inputDim, undefined, { min: 1, integer: true });
    this.outputDim = numberOption(this, 'outputDim', args.outputDim, undefined, { min: 1, integer: true });
    this.embeddingsInitializer = resolveInitializer(args.embeddingsInitializer ?? 'randomUniform');
    this.embeddingsRegularizer = resolveRegularizer(args.embeddingsRegularizer);
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer);
    this.embeddingsConstraint = resolveConstraint(args.embeddingsConstraint);
    this.maskZero = booleanOption(this, 'maskZero', args.maskZero, false);
    const length = args.inputLength;
    if (length === undefined || length === null) this.inputLength = null;
    else {
      const list = typeof length === 'number' ? [length] : length;
      if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d) && d > 0)) {
        throw optionFailure(this, 'inputLength', 'a positive integer or a list of them', length);
      }
      this.inputLength = [...list];
    }
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = singleShape(this, inputShape);
    this.checkInputLength(shape);
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], 'float32', this.embeddingsInitializer, this.embeddingsRegularizer, true, this.embeddingsConstraint);
    super.build(inputShape);
  }

  private checkInputLength(shape: LayerShape): void {
    if (!this.inputLength) return;
    const sample = shape.slice(1);
    const ok = sample.length === this.inputLength.length && sample.every((d, i) => d === null || d === this.inputLength![i]);
    if (!ok) {
      throw new LayerError(this, `inputLength ${JSON.stringify(this.inputLength)} does not match the input shape ${shapeString(shape)}; make them agree or drop inputLength`);
    }
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleInput(this, inputs);
    const ids = x.dtype === 'int32' ? x : cast(x, 'int32');
    let out: Tensor;
    try {
      out = gather(this.embeddings!, ids);
    } catch (e) {
      if (!(e instanceof OpError)) throw e;
      throw new LayerError(this, `ids must lie in [0, ${this.inputDim - 1}] (inputDim is ${this.inputDim}); ${e.message} Raise inputDim to cover the vocabulary, or map unknown ids to a reserved one`);
    }
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(out));
    return out;
  }

  override computeMask(inputs: Tensor | Tensor[], _mask?: Tensor | (Tensor | null)[] | null): Tensor | null {
    if (!this.maskZero) return null;
    const x = singleInput(this, inputs);
    return tidy(() => notEqual(x, 0));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = singleShape(this, inputShape);
    this.checkInputLength(shape);
    const sample = this.inputLength ? shape.slice(1).map((d, i) => d ?? this.inputLength![i]!) : shape.slice(1);
    return [shape[0] ?? null, ...sample, this.outputDim];
  }

  override computeOutputDType(_inputDTypes: DType[]): DType {
    return 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serialize(this.embeddingsInitializer),
      embeddingsRegularizer: serialize(this.embeddingsRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      embeddingsConstraint: serialize(this.embeddingsConstraint),
      maskZero: this.maskZero,
      inputLength: this.inputLength ? (this.inputLength.length === 1 ? this.inputLength[0] : [...this.inputLength]) : null,
    };
  }
}
