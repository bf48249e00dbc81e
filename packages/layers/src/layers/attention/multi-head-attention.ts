import {
  add, cast, expandDims, fmtShape, greaterEqual, logicalAnd, matmul, mul, range, reshape, softmax, sub, transpose,
  type Tensor, type Variable,
} from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, isShapeList, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { SymbolicTensor } from '../../engine/symbolic.js';
import { describeValue } from '../../initializers/options.js';
import { booleanOption, numberOption, optionFailure, seedOption } from '../basic/layer-options.js';
import { SeedStream } from '../basic/seed-stream.js';
import { dropoutMask } from '../recurrent/dropout-mask.js';
import {
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';

/** Options of `layers.multiHeadAttention`. */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value; default `keyDim`. */
  valueDim?: number | null;
  /** Dropout rate on the attention probabilities while training. */
  dropout?: number;
  useBias?: boolean;
  /** Output features (a size or a shape); default the query's last dimension. */
  outputShape?: number | readonly number[] | null;
  /** Only the default is supported: attention over the sequence axis (`null`, `1`, `[1]` or `[-2]`). */
  attentionAxes?: number | readonly number[] | null;
  /** Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Makes the sequence of dropout masks repeatable. */
  seed?: number | null;
}

/** One projection's weights (Keras's EinsumDense sublayers `query`, `key`, `value`, `attention_output`). */
interface Projection {
  kernel: Variable;
  bias: Variable | null;
}

/** Keras adds this to masked logits before the softmax (its `_large_negative_number` for float32). */
const LARGE_NEGATIVE = -1e9;

/** The call argument marking that the last input is the attention mask (a symbolic mask became an input). */
const MASK_IN_INPUTS = 'attentionMaskInInputs';

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017) with Keras 3's weights:
 * `query/kernel` `[queryDim, numHeads, keyDim]`, `key/kernel` `[keyDim_in, numHeads, keyDim]`,
 * `value/kernel` `[valueDim_in, numHeads, valueDim]`, each with a `[numHeads, headDim]` bias, and
 * `attention_output/kernel` `[numHeads, valueDim, ...outputShape]` with an `[...outputShape]` bias.
 *
 * Call it on `[query, value]` or `[query, value, key]` (each `[batch, length, features]`; key
 * defaults to value). Call arguments: `attentionMask` (`[batch, T, S]` bool, true = may attend),
 * `useCausalMask` (position t attends to positions ≤ t), `returnAttentionScores` (also return the
 * `[batch, numHeads, T, S]` probabilities), `training` (dropout). The inputs' own masks (from
 * `Embedding({ maskZero })`) are combined with these, as Keras does; masked logits get -1e9
 * before the softmax. The output keeps the query's mask.
 *
 * @example
 * const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 8 });
 * const y = mha.apply([x, x], { useCausalMask: true }); // self-attention, [null, T, features]
 */
export class MultiHeadAttention extends Layer {
  static override readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number[] | null;
  readonly attentionAxes: number[] | null;
  readonly seed: number | null;
  private readonly kernelInitializer;
  private readonly biasInitializer;
  private readonly kernelRegularizer;
  private readonly biasRegularizer;
  private readonly activityRegularizer;
  private readonly kernelConstraint;
  private readonly biasConstraint;
  private readonly stream: SeedStream;
  private projections: Record<'query' | 'key' | 'value' | 'output', Projection> | null = null;
  /** Set while a symbolic call asks for the scores, so computeOutputShape reports both outputs. */
  private scoresRequested = false;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    this.numHeads = numberOption(this, 'numHeads', args?.numHeads, undefined, { min: 1, integer: true });
    this.keyDim = numberOption(this, 'keyDim', args.keyDim, undefined, { min: 1, integer: true });
    this.valueDim = numberOption(this, 'valueDim', args.valueDim, this.keyDim, { min: 1, integer: true });
    this.dropout = numberOption(this, 'dropout', args.dropout, 0, { min: 0, max: 1, maxInclusive: false });
    this.useBias = booleanOption(this, 'useBias', args.useBias, true);
    this.outputShape = outputShapeOption(this, args.outputShape);
    this.attentionAxes = attentionAxesOption(this, args.attentionAxes);
    this.seed = seedOption(this, args.seed);
    this.stream = new SeedStream(this.seed);
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer);
    this.kernelConstraint = resolveConstraint(args.kernelConstraint);
    this.biasConstraint = resolveConstraint(args.biasConstraint);
    this.supportsMasking = true;
    this.inputSpec = [{ ndim: 3 }];
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [query, value, key] = this.inputShapes(inputShape);
    const dims = ([['query', query], ['value', value], ['key', key]] as const).map(([name, shape]) => {
      const dim = shape[2];
      if (dim === null || dim === undefined) {
        throw new LayerError(this, `the last dimension of ${name} must be known to build its kernel; received shape ${shapeString(shape)}`);
      }
      return dim;
    });
    const [queryDim, valueDim, keyDim] = dims as [number, number, number];
    const outputShape = this.outputShape ?? [queryDim];
    const h = this.numHeads;
    const projection = (name: string, kernelShape: number[], biasShape: number[]): Projection => ({
      kernel: this.addWeight(`${name}/kernel`, kernelShape, 'float32', this.kernelInitializer, this.kernelRegularizer, true, this.kernelConstraint),
      bias: this.useBias ? this.addWeight(`${name}/bias`, biasShape, 'float32', this.biasInitializer, this.biasRegularizer, true, this.biasConstraint) : null,
    });
    // Keras's order: query, key, value, attention_output.
    const q = projection('query', [queryDim, h, this.keyDim], [h, this.keyDim]);
    const k = projection('key', [keyDim, h, this.keyDim], [h, this.keyDim]);
    const v = projection('value', [valueDim, h, this.valueDim], [h, this.valueDim]);
    const o = projection('attention_output', [h, this.valueDim, ...outputShape], [...outputShape]);
    this.projections = { query: q, key: k, value: v, output: o };
    this.inputSpec = [{ ndim: 3, axes: { [-1]: queryDim } }, { ndim: 3, axes: { [-1]: valueDim } }, { ndim: 3, axes: { [-1]: keyDim } }, { ndim: 3 }];
    super.build(inputShape);
  }

  override apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor, args?: CallArgs): Tensor | Tensor[];
  override apply(inputs: Tensor[], args?: CallArgs): Tensor | Tensor[];
  override apply(inputs: SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[], args: CallArgs = {}): SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[] {
    let callInputs = inputs;
    let callArgs = args;
    if (args.attentionMask instanceof SymbolicTensor && Array.isArray(inputs) && inputs.length >= 2) {
      // A symbolic mask must be an input of the call for the model graph to feed it.
      const { attentionMask, ...rest } = args;
      const [query, value, key] = inputs as SymbolicTensor[];
      callInputs = [query!, value!, key ?? value!, attentionMask];
      callArgs = { ...rest, [MASK_IN_INPUTS]: true };
    }
    this.scoresRequested = args.returnAttentionScores === true;
    try {
      return Layer.prototype.apply.call(this, callInputs as never, callArgs) as SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[];
    } finally {
      this.scoresRequested = false;
    }
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const list = this.inputList(inputs);
    let attentionMask = (args.attentionMask ?? null) as Tensor | null;
    let qkv = list;
    if (args[MASK_IN_INPUTS] === true) {
      attentionMask = list[list.length - 1]!;
      qkv = list.slice(0, -1);
    }
    const [query, value, key = value] = qkv as [Tensor, Tensor, Tensor?];
    const [batch, t] = query.shape as [number, number];
    const s = value.shape[1]!;
    if (key!.shape[1] !== s || key!.shape[0] !== value.shape[0] || value.shape[0] !== batch) {
      throw new LayerError(this, `query, value and key must share the batch size and value and key the length; received query ${fmtShape(query.shape)}, value ${fmtShape(value.shape)}, key ${fmtShape(key!.shape)}`);
    }
    const masks = Array.isArray(args.mask) ? args.mask : [args.mask ?? null];
    const mask = this.combinedMask(t, s, batch, masks[0] ?? null, masks[1] ?? null, qkv.length > 2 ? masks[2] ?? null : null, args.useCausalMask === true, attentionMask);

    const p = this.projections!;
    const q = mul(this.heads(query, p.query, this.keyDim), 1 / Math.sqrt(this.keyDim));
    const k = this.heads(key!, p.key, this.keyDim);
    const v = this.heads(value, p.value, this.valueDim);
    let logits = matmul(q, k, false, true); // [batch, heads, T, S]
    if (mask) logits = add(logits, mul(sub(1, cast(expandDims(mask, 1), 'float32')), LARGE_NEGATIVE));
    const scores = softmax(logits, -1);
    const used = args.training === true && this.dropout > 0 ? mul(scores, dropoutMask(scores.shape, this.dropout, this.stream)) : scores;
    const context = transpose(matmul(used, v), [0, 2, 1, 3]); // [batch, T, heads, valueDim]
    const outShape = this.outputShape ?? [query.shape[2]!];
    const outSize = outShape.reduce((a, b) => a * b, 1);
    let y = matmul(reshape(context, [batch * t, this.numHeads * this.valueDim]), reshape(p.output.kernel, [this.numHeads * this.valueDim, outSize]));
    if (p.output.bias) y = add(y, reshape(p.output.bias, [outSize]));
    const output = reshape(y, [batch, t, ...outShape]);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(output));
    return args.returnAttentionScores === true ? [output, scores] : output;
  }

  /** `x` through a projection, split into heads: `[batch, heads, length, headDim]`. */
  private heads(x: Tensor, proj: Projection, headDim: number): Tensor {
    const [batch, length, features] = x.shape as [number, number, number];
    const width = this.numHeads * headDim;
    let y = matmul(reshape(x, [batch * length, features]), reshape(proj.kernel, [features, width]));
    if (proj.bias) y = add(y, reshape(proj.bias, [width]));
    return transpose(reshape(y, [batch, length, this.numHeads, headDim]), [0, 2, 1, 3]);
  }

  /** The `[batch|1, T, S]` bool mask from the inputs' masks, the causal mask and `attentionMask` (null when none). */
  private combinedMask(
    t: number, s: number, batch: number, queryMask: Tensor | null, valueMask: Tensor | null, keyMask: Tensor | null,
    causal: boolean, attentionMask: Tensor | null,
  ): Tensor | null {
    let mask: Tensor | null = null;
    const and = (m: Tensor): void => {
      mask = mask ? logicalAnd(mask, m) : m;
    };
    const asBool = (m: Tensor): Tensor => (m.dtype === 'bool' ? m : cast(m, 'bool'));
    if (queryMask) and(expandDims(asBool(queryMask), -1)); // [batch, T, 1]
    if (valueMask) and(expandDims(asBool(valueMask), 1)); // [batch, 1, S]
    if (keyMask) and(expandDims(asBool(keyMask), 1));
    if (causal) and(expandDims(greaterEqual(reshape(range(0, t), [t, 1]), reshape(range(0, s), [1, s])), 0));
    if (attentionMask) {
      const m = attentionMask;
      const fits = m.rank === 3 && [batch, t, s].every((d, i) => m.shape[i] === d || m.shape[i] === 1);
      if (!fits) {
        throw new LayerError(this, `attentionMask must have shape [batch, T, S] = [${batch}, ${t}, ${s}] (query length T, value length S), received shape ${fmtShape(m.shape)}`);
      }
      and(asBool(m));
    }
    return mask;
  }

  private inputList<T extends { shape: readonly (number | null)[] }>(inputs: T | T[]): T[] {
    if (!Array.isArray(inputs) || inputs.length < 2 || inputs.length > 4) {
      const got = Array.isArray(inputs) ? `a list of ${inputs.length}` : `a single tensor of shape ${shapeString(inputs.shape)}`;
      throw new LayerError(this, `expects [query, value] or [query, value, key], received ${got}; for self-attention pass [x, x]`);
    }
    return inputs;
  }

  private inputShapes(inputShape: LayerShape | LayerShape[]): [LayerShape, LayerShape, LayerShape] {
    if (!isShapeList(inputShape)) {
      throw new LayerError(this, `expects [query, value] or [query, value, key], received a single input of shape ${shapeString(inputShape)}; for self-attention pass [x, x]`);
    }
    const list = this.inputList(inputShape.map((shape) => ({ shape })));
    const [query, value, key = value] = list.map((x) => x.shape) as [LayerShape, LayerShape, LayerShape?];
    ([['query', query], ['value', value], ['key', key!]] as const).forEach(([name, shape]) => {
      if (shape.length !== 3) throw new LayerError(this, `expected ${name} of rank 3 ([batch, length, features]), received shape ${shapeString(shape)} (rank ${shape.length})`);
    });
    if (value[1] !== null && key![1] !== null && value[1] !== key![1]) {
      throw new LayerError(this, `value and key must have the same length; received value ${shapeString(value)} and key ${shapeString(key!)}`);
    }
    return [query, value, key!];
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape | LayerShape[] {
    const [query, value] = this.inputShapes(inputShape);
    if (isShapeList(inputShape) && inputShape.length === 4) {
      const m = inputShape[3]!;
      const expected = [query[0] ?? null, query[1] ?? null, value[1] ?? null];
      if (m.length !== 3 || m.some((d, i) => d !== null && d !== 1 && expected[i] !== null && d !== expected[i])) {
        throw new LayerError(this, `attentionMask must have shape [batch, T, S] = ${shapeString(expected)}, received shape ${shapeString(m)}`);
      }
    }
    const output: LayerShape = [...query.slice(0, -1), ...(this.outputShape ?? [query[2]!])];
    return this.scoresRequested ? [output, [query[0] ?? null, this.numHeads, query[1] ?? null, value[1] ?? null]] : output;
  }

  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | (Tensor | null)[] | null | undefined): Tensor | null {
    return Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputShape ? [...this.outputShape] : null,
      attentionAxes: this.attentionAxes ? [...this.attentionAxes] : null,
      kernelInitializer: serialize(this.kernelInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
      biasConstraint: serialize(this.biasConstraint),
      seed: this.seed,
    };
  }
}

function outputShapeOption(layer: Layer, value: unknown): number[] | null {
  if (value === undefined || value === null) return null;
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
    throw optionFailure(layer, 'outputShape', 'a positive integer or a non-empty array of them', value);
  }
  return [...(list as number[])];
}

function attentionAxesOption(layer: Layer, value: unknown): number[] | null {
  if (value === undefined || value === null) return null;
  const list = typeof value === 'number' ? [value] : value;
  // Rank-3 inputs project to [batch, length, heads, dim]; Keras resolves a negative axis against rank 3.
  if (Array.isArray(list) && list.length === 1 && (list[0] === 1 || list[0] === -2)) return [1];
  throw new LayerError(layer, `option 'attentionAxes' supports only attention over the sequence axis (null, 1, [1] or [-2]) for [batch, length, features] inputs; received ${describeValue(value)}`);
}
