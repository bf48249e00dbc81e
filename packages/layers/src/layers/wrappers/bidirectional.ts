import { add, concat, mul, reverse, type Tensor, type Variable } from '@strata/core';
import { LayerError, type LayerShape } from '../../engine/errors.js';
import { Layer, isShapeList, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { describeValue } from '../../initializers/options.js';
import { BaseRNN } from '../recurrent/base-rnn.js';
import { initialStateAsInputs, sequenceAndStates, sequenceMask } from '../recurrent/state-inputs.js';
import { Wrapper, resolveWrappedLayer, wrappedBatchShape, type WrappedLayer } from './wrapper.js';

/** How `Bidirectional` combines the two directions; `null` returns both. */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

const MERGE_MODES: readonly BidirectionalMergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/** Options of `layers.bidirectional`. */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (SimpleRNN, LSTM, GRU); a fresh copy of it runs forwards. */
  layer: WrappedLayer;
  /** Default `'concat'` (features of both directions side by side). */
  mergeMode?: BidirectionalMergeMode;
  /** The layer for the backward direction; default a copy of `layer` with `goBackwards` flipped. */
  backwardLayer?: WrappedLayer;
}

/**
 * Runs a recurrent layer over the sequence in both directions and merges the results. As in
 * Keras, the forward layer is rebuilt from `layer`'s config (named `forward_<name>`) and the
 * backward one too with `goBackwards` flipped (`backward_<name>`), unless `backwardLayer` is
 * given; with `returnSequences` the backward outputs are reversed back so step t of both lines up,
 * and masked steps output zeros (Keras; TF.js repeats the previous output there). With
 * `returnState` the output is followed by the forward states, then the backward ones; an
 * `initialState` list is split the same way.
 *
 * @example
 * const y = new Bidirectional({ layer: new LSTM({ units: 8, returnSequences: true }) }).apply(input({ shape: [10, 4] })); // [null, 10, 16]
 */
export class Bidirectional extends Wrapper {
  static override readonly className = 'Bidirectional';
  readonly forwardLayer: BaseRNN;
  readonly backwardLayer: BaseRNN;
  readonly mergeMode: BidirectionalMergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;
  /** Whether the backward layer was given (then it is saved in the config, as Keras does). */
  private readonly customBackward: boolean;

  constructor(args: BidirectionalArgs) {
    super({ ...args, batchInputShape: args?.batchInputShape ?? (args?.inputShape ? undefined : wrappedBatchShape(args?.layer)) });
    const layer = recurrentLayer(this, 'layer', args?.layer);
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mode)) {
      throw new LayerError(this, `option 'mergeMode' must be one of 'concat', 'sum', 'mul', 'ave' or null; received ${describeValue(mode)}`);
    }
    this.mergeMode = mode;
    // A config saved from a Bidirectional names the layer forward_<name>; both copies drop it.
    this.forwardLayer = copyOf(layer, { name: `forward_${stripPrefix(layer.name, 'forward_')}` });
    this.customBackward = args.backwardLayer !== undefined && args.backwardLayer !== null;
    this.backwardLayer = this.customBackward
      ? recurrentLayer(this, 'backwardLayer', args.backwardLayer)
      : copyOf(layer, { goBackwards: !layer.goBackwards, name: `backward_${stripPrefix(stripPrefix(layer.name, 'forward_'), 'backward_')}` });
    if (this.forwardLayer.goBackwards === this.backwardLayer.goBackwards) {
      throw new LayerError(this, `the forward and backward layers must differ in goBackwards; both have goBackwards: ${this.forwardLayer.goBackwards} (give backwardLayer goBackwards: ${!this.forwardLayer.goBackwards})`);
    }
    for (const key of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (this.forwardLayer[key] !== this.backwardLayer[key]) {
        throw new LayerError(this, `the forward and backward layers must have the same ${key}; received ${this.forwardLayer[key]} (forward ${this.forwardLayer.name}) and ${this.backwardLayer[key]} (backward ${this.backwardLayer.name})`);
      }
    }
    this.returnSequences = this.forwardLayer.returnSequences;
    this.returnState = this.forwardLayer.returnState;
    this.stateful = this.forwardLayer.stateful;
    this.forwardLayer.zeroOutputForMask = this.returnSequences;
    this.backwardLayer.zeroOutputForMask = this.returnSequences;
    this.supportsMasking = true;
    this.inputSpec = [{ ndim: 3 }];
  }

  protected override innerLayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    if (!this.forwardLayer.built) this.forwardLayer.build(shape);
    if (!this.backwardLayer.built) this.backwardLayer.build(shape);
    this.inputSpec = [this.forwardLayer.inputSpec![0]!, { ndim: 2 }];
    super.build(inputShape);
  }

  override apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor, args?: CallArgs): Tensor | Tensor[];
  override apply(inputs: Tensor[], args?: CallArgs): Tensor | Tensor[];
  override apply(inputs: SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[], args: CallArgs = {}): SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[] {
    const moved = initialStateAsInputs(inputs, args);
    return Layer.prototype.apply.call(this, moved.inputs as never, moved.args) as SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[];
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const { sequence, states } = sequenceAndStates(inputs, args);
    let forwardState: Tensor[] | undefined;
    let backwardState: Tensor[] | undefined;
    if (states) {
      if (states.length % 2 !== 0) {
        throw new LayerError(this, `initialState must list the forward layer's states then the backward layer's (an even count); received ${states.length} tensor(s)`);
      }
      forwardState = states.slice(0, states.length / 2);
      backwardState = states.slice(states.length / 2);
    }
    const mask = sequenceMask(args.mask);
    const common: CallArgs = { training: args.training, ...(mask ? { mask } : {}) };
    const forward = this.invokeInner(this.forwardLayer, sequence, { ...common, initialState: forwardState });
    const backward = this.invokeInner(this.backwardLayer, sequence, { ...common, initialState: backwardState });
    const y = Array.isArray(forward) ? forward[0]! : forward;
    let yRev = Array.isArray(backward) ? backward[0]! : backward;
    const finalStates = this.returnState ? [...(forward as Tensor[]).slice(1), ...(backward as Tensor[]).slice(1)] : [];
    if (this.returnSequences) yRev = reverse(yRev, 1);
    const merged = this.merge(y, yRev);
    return this.returnState ? [...merged, ...finalStates] : merged.length === 1 ? merged[0]! : merged;
  }

  private merge(y: Tensor, yRev: Tensor): Tensor[] {
    switch (this.mergeMode) {
      case 'concat': return [concat([y, yRev], -1)];
      case 'sum': return [add(y, yRev)];
      case 'ave': return [mul(add(y, yRev), 0.5)];
      case 'mul': return [mul(y, yRev)];
      default: return [y, yRev];
    }
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape | LayerShape[] {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    const forward = this.forwardLayer.computeOutputShape(shape);
    const [output, ...states] = (this.returnState ? forward : [forward]) as LayerShape[];
    const outputs: LayerShape[] = this.mergeMode === 'concat'
      ? [[...output!.slice(0, -1), output![output!.length - 1]! * 2]]
      : this.mergeMode === null ? [output!, output!] : [output!];
    const all = [...outputs, ...(this.returnState ? [...states, ...states] : [])];
    return all.length === 1 ? all[0]! : all;
  }

  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | (Tensor | null)[] | null | undefined): Tensor | (Tensor | null)[] | null {
    const m = this.returnSequences ? sequenceMask(mask) : null;
    const outputs = this.mergeMode === null ? [m, m] : [m];
    const states = this.returnState ? new Array<null>(this.forwardLayer.stateCount + this.backwardLayer.stateCount).fill(null) : [];
    const all = [...outputs, ...states];
    return all.length === 1 ? all[0]! : all;
  }

  /** The stored states of both directions (forward first) when stateful, else null. */
  get states(): readonly Variable[] | null {
    const f = this.forwardLayer.states;
    const b = this.backwardLayer.states;
    return f && b ? [...f, ...b] : null;
  }

  /**
   * Resets the stored states of both directions (stateful layers only); `states` lists the
   * forward layer's values then the backward layer's.
   *
   * @example
   * bi.resetStates();
   */
  resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) throw new LayerError(this, 'resetStates() needs a stateful layer; wrap a recurrent layer created with stateful: true');
    if (states === undefined) {
      this.forwardLayer.resetStates();
      this.backwardLayer.resetStates();
      return;
    }
    const list = Array.isArray(states) ? states : [states];
    const half = list.length / 2;
    this.forwardLayer.resetStates(list.slice(0, half));
    this.backwardLayer.resetStates(list.slice(half));
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      layer: { className: this.forwardLayer.className, config: this.forwardLayer.getConfig() },
      mergeMode: this.mergeMode,
    };
    if (this.customBackward) config.backwardLayer = { className: this.backwardLayer.className, config: this.backwardLayer.getConfig() };
    return config;
  }
}

function recurrentLayer(owner: Layer, option: string, value: unknown): BaseRNN {
  const layer = resolveWrappedLayer(owner, option, value);
  if (!(layer instanceof BaseRNN)) {
    throw new LayerError(owner, `option '${option}' must be a recurrent layer (SimpleRNN, LSTM or GRU); received ${layer.toString()}`);
  }
  return layer;
}

function stripPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** A fresh layer of the same class from `layer`'s config with some options changed. */
function copyOf(layer: BaseRNN, changes: Record<string, unknown>): BaseRNN {
  const cls = layer.constructor as new (config: Record<string, unknown>) => BaseRNN;
  return new cls({ ...layer.getConfig(), ...changes });
}
