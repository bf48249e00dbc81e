import {
  add, cast, clone, expandDims, fmtShape, matmul, mul, reshape, tidy, variable, zeros,
  type Tensor, type Variable,
} from '@strata/core';
import { LayerError, shapeString, type LayerShape } from '../../engine/errors.js';
import { Layer, isShapeList, type CallArgs, type InitializerLike, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicTensor } from '../../engine/symbolic.js';
import { booleanOption, numberOption, optionFailure, seedOption } from '../basic/layer-options.js';
import { SeedStream } from '../basic/seed-stream.js';
import {
  activationConfig, resolveActivation, resolveConstraint, resolveInitializer, resolveRegularizer, serialize,
  type ActivationIdentifier, type ConstraintIdentifier, type InitializerIdentifier, type RegularizerIdentifier,
} from '../resolve.js';
import { dropoutMask } from './dropout-mask.js';
import { rnnLoop, type RnnStep } from './rnn-loop.js';
import { initialStateAsInputs, sequenceAndStates, sequenceMask } from './state-inputs.js';

/** Options shared by the recurrent layers (`simpleRNN`, `lstm`, `gru`). */
export interface RecurrentArgs extends LayerArgs {
  /** Size of the output and of each state. */
  units: number;
  /** Default `'tanh'`; `null` is linear. */
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  /** Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Default `'orthogonal'`. */
  recurrentInitializer?: InitializerIdentifier;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  /** A penalty on the layer's (first) output. */
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Fraction of the input features dropped while training, in [0, 1); one mask per call. */
  dropout?: number;
  /** Fraction of the recurrent state dropped while training, in [0, 1); one mask per call. */
  recurrentDropout?: number;
  /** Makes the sequence of dropout masks repeatable. */
  seed?: number | null;
  /** Return the output of every step (`[batch, time, units]`) instead of the last (`[batch, units]`). */
  returnSequences?: boolean;
  /** Also return the final states: `[output, ...states]` (LSTM: `h`, `c`). */
  returnState?: boolean;
  /** Process the sequence from its end; with `returnSequences` the outputs come out reversed too, as in Keras. */
  goBackwards?: boolean;
  /**
   * Keep the final states between calls as the next call's initial states (sample i of one batch
   * continues sample i of the previous). Needs a fixed batch size; `resetStates()` clears them.
   */
  stateful?: boolean;
  /** Accepted for Keras/TF.js configs; the loop is always unrolled over the (known) time steps. */
  unroll?: boolean;
}

/**
 * The base of the built-in recurrent layers: options, masks, dropout masks, initial and stateful
 * states, `returnSequences`/`returnState`/`goBackwards`, and the time loop ({@link rnnLoop}).
 * Subclasses give the weights and the per-step cell math.
 *
 * Call arguments: `mask` (`[batch, time]` bool, normally from `Embedding({ maskZero })` or
 * `Masking`), `initialState` (a tensor or list, one `[batch, units]` tensor per state; symbolic
 * states become inputs of the layer call) and `training` (dropout).
 *
 * @example
 * const out = new LSTM({ units: 8, returnSequences: true }).apply(x, { initialState: [h0, c0] });
 */
export abstract class BaseRNN extends Layer {
  readonly units: number;
  readonly activation: (x: Tensor) => Tensor;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Masked steps output zeros instead of the previous output; `Bidirectional` sets it with `returnSequences`, as Keras does. */
  zeroOutputForMask = false;
  protected readonly kernelInitializer;
  protected readonly recurrentInitializer;
  protected readonly biasInitializer;
  protected readonly kernelRegularizer;
  protected readonly recurrentRegularizer;
  protected readonly biasRegularizer;
  protected readonly activityRegularizer;
  protected readonly kernelConstraint;
  protected readonly recurrentConstraint;
  protected readonly biasConstraint;
  protected readonly stream: SeedStream;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;
  private stateVariables: Variable[] | null = null;

  constructor(args: RecurrentArgs) {
    super(args);
    this.units = numberOption(this, 'units', args?.units, undefined, { min: 1, integer: true });
    this.activation = resolveActivation(args.activation === undefined ? 'tanh' : args.activation);
    this.useBias = booleanOption(this, 'useBias', args.useBias, true);
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.recurrentInitializer = resolveInitializer(args.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer);
    this.recurrentRegularizer = resolveRegularizer(args.recurrentRegularizer);
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer);
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer);
    this.kernelConstraint = resolveConstraint(args.kernelConstraint);
    this.recurrentConstraint = resolveConstraint(args.recurrentConstraint);
    this.biasConstraint = resolveConstraint(args.biasConstraint);
    this.dropout = numberOption(this, 'dropout', args.dropout, 0, { min: 0, max: 1, maxInclusive: false });
    this.recurrentDropout = numberOption(this, 'recurrentDropout', args.recurrentDropout, 0, { min: 0, max: 1, maxInclusive: false });
    this.seed = seedOption(this, args.seed);
    this.stream = new SeedStream(this.seed);
    this.returnSequences = booleanOption(this, 'returnSequences', args.returnSequences, false);
    this.returnState = booleanOption(this, 'returnState', args.returnState, false);
    this.goBackwards = booleanOption(this, 'goBackwards', args.goBackwards, false);
    this.stateful = booleanOption(this, 'stateful', args.stateful, false);
    this.unroll = booleanOption(this, 'unroll', args.unroll, false);
    this.supportsMasking = true;
    this.inputSpec = [{ ndim: 3 }];
  }

  // ---- what each cell provides ----------------------------------------------------------------

  /** Names of the states, in order (`['h']`, LSTM `['h', 'c']`); each is `[batch, units]`. */
  protected abstract stateNames(): string[];

  /** How many states the layer carries (1; LSTM 2). */
  get stateCount(): number {
    return this.stateNames().length;
  }

  /** How many kernel column blocks the cell has (1, LSTM 4, GRU 3). */
  protected abstract gateCount(): number;

  /** Creates `kernel`, `recurrentKernel` and `bias` for an input of `inputDim` features. */
  protected abstract buildWeights(inputDim: number): void;

  /** The step function for one call, given the recurrent dropout mask (`[batch, units]`) if any. */
  protected abstract makeStep(recurrentMask: Tensor | null): RnnStep;

  /** The bias added to the input projection (GRU with `resetAfter` uses one row of its bias). */
  protected inputBias(): Tensor | null {
    return this.bias;
  }

  // ---- building -----------------------------------------------------------------------------

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    if (shape.length !== 3) {
      throw new LayerError(this, `expected input of rank 3 ([batch, time, features]), received shape ${shapeString(shape)} (rank ${shape.length})`);
    }
    const inputDim = shape[2];
    if (inputDim === null || inputDim === undefined) {
      throw new LayerError(this, `the feature dimension (last) of the input must be known to build the kernel; received shape ${shapeString(shape)}`);
    }
    this.buildWeights(inputDim);
    if (this.stateful) {
      const batch = shape[0];
      if (batch === null || batch === undefined) {
        throw new LayerError(this, `stateful: true needs a fixed batch size, received input shape ${shapeString(shape)}; ` +
          `give the first layer batchInputShape (e.g. [32, ${shape[1] ?? 'null'}, ${inputDim}]) or batchSize with inputShape, or input({ batchShape: [...] })`);
      }
      this.stateVariables = this.stateNames().map(() => tidy(() => variable(zeros([batch, this.units]), false)));
    }
    this.inputSpec = [{ ndim: 3, axes: { [-1]: inputDim } }, { ndim: 2, axes: { [-1]: this.units } }];
    super.build(inputShape);
  }

  /** Creates a weight with this layer's initializer/regularizer/constraint of the given kind. */
  protected addCellWeight(kind: 'kernel' | 'recurrent_kernel' | 'bias', shape: number[], initializer: InitializerLike = kind === 'kernel' ? this.kernelInitializer : kind === 'bias' ? this.biasInitializer : this.recurrentInitializer): Variable {
    if (kind === 'kernel') return this.addWeight(kind, shape, 'float32', initializer, this.kernelRegularizer, true, this.kernelConstraint);
    if (kind === 'bias') return this.addWeight(kind, shape, 'float32', initializer, this.biasRegularizer, true, this.biasConstraint);
    return this.addWeight(kind, shape, 'float32', initializer, this.recurrentRegularizer, true, this.recurrentConstraint);
  }

  // ---- calling ------------------------------------------------------------------------------

  override apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor, args?: CallArgs): Tensor | Tensor[];
  override apply(inputs: Tensor[], args?: CallArgs): Tensor | Tensor[];
  override apply(inputs: SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[], args: CallArgs = {}): SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[] {
    const moved = initialStateAsInputs(inputs, args);
    return Layer.prototype.apply.call(this, moved.inputs as never, moved.args) as SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[];
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const { sequence: x, states: given } = sequenceAndStates(inputs, args);
    const [batch, time, features] = x.shape as [number, number, number];
    if (time === 0) throw new LayerError(this, `expected at least one time step, received input shape ${fmtShape(x.shape)}`);
    const initial = given ? this.checkInitialState(given, batch) : this.stateVariables ? this.storedStates(batch) : this.stateNames().map(() => zeros([batch, this.units]));
    const mask = this.checkMask(sequenceMask(args.mask), batch, time);
    const training = args.training === true;
    const input = training && this.dropout > 0 ? mul(x, expandDims(dropoutMask([batch, features], this.dropout, this.stream), 1)) : x;
    const recurrentMask = training && this.recurrentDropout > 0 ? dropoutMask([batch, this.units], this.recurrentDropout, this.stream) : null;
    const result = rnnLoop(this.makeStep(recurrentMask), this.projectInputs(input), initial, {
      mask, goBackwards: this.goBackwards, zeroOutputForMask: this.zeroOutputForMask, returnSequences: this.returnSequences,
    });
    if (this.stateVariables) result.states.forEach((s, i) => this.stateVariables![i]!.assign(s));
    const output = this.returnSequences ? result.outputs! : result.lastOutput;
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(output));
    return this.returnState ? [output, ...result.states] : output;
  }

  /** `x · kernel + bias` for every time step at once: `[batch, time, gates·units]`. */
  protected projectInputs(x: Tensor): Tensor {
    const [batch, time, features] = x.shape as [number, number, number];
    let y = matmul(reshape(x, [batch * time, features]), this.kernel!);
    const bias = this.inputBias();
    if (bias) y = add(y, bias);
    return reshape(y, [batch, time, this.gateCount() * this.units]);
  }

  private checkInitialState(states: Tensor[], batch: number): Tensor[] {
    const names = this.stateNames();
    const ok = states.length === names.length && states.every((s) => s.rank === 2 && s.shape[0] === batch && s.shape[1] === this.units);
    if (!ok) {
      throw new LayerError(this, `initialState must be ${names.length} tensor(s) (${names.join(', ')}) of shape [${batch}, ${this.units}] ([batch, units]); ` +
        `received ${states.length} with shape(s) ${states.map((s) => fmtShape(s.shape)).join(', ')}`);
    }
    return states;
  }

  private checkMask(mask: Tensor | null, batch: number, time: number): Tensor | null {
    if (!mask) return null;
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time) {
      throw new LayerError(this, `mask must have shape [batch, time] = [${batch}, ${time}], received shape ${fmtShape(mask.shape)}`);
    }
    return mask.dtype === 'bool' ? mask : cast(mask, 'bool');
  }

  /** Copies of the stored states (copies, so later updates cannot change what a gradient saved). */
  private storedStates(batch: number): Tensor[] {
    const stored = this.stateVariables!;
    if (stored[0]!.shape[0] !== batch) {
      throw new LayerError(this, `is stateful with batch size ${stored[0]!.shape[0]}, received a batch of ${batch}; ` +
        `feed batches of exactly ${stored[0]!.shape[0]} samples (fit with batchSize: ${stored[0]!.shape[0]} and shuffle: false), or give initialState`);
    }
    return stored.map((v) => clone(v));
  }

  // ---- stateful use -------------------------------------------------------------------------

  /** The stored states of a stateful layer (`null` before it is built or when not stateful). */
  get states(): readonly Variable[] | null {
    return this.stateVariables;
  }

  /**
   * Sets the stored states of a stateful layer to zeros, or to `states` (one `[batch, units]`
   * tensor per state). Before the layer is built there is nothing to reset.
   *
   * @example
   * lstm.resetStates();           // zeros
   * lstm.resetStates([h0, c0]);   // given values
   */
  resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) throw new LayerError(this, 'resetStates() needs a stateful layer; create it with stateful: true');
    const values = states === undefined ? null : Array.isArray(states) ? states : [states];
    if (!this.stateVariables) {
      if (!values) return;
      throw new LayerError(this, 'resetStates(states) was called before the layer was built; call the layer on data first (its batch size fixes the state shapes)');
    }
    const stored = this.stateVariables;
    if (values) {
      const ok = values.length === stored.length && values.every((v, i) => v.rank === 2 && v.shape[0] === stored[i]!.shape[0] && v.shape[1] === stored[i]!.shape[1]);
      if (!ok) {
        throw new LayerError(this, `resetStates expected ${stored.length} tensor(s) (${this.stateNames().join(', ')}) of shape ${fmtShape(stored[0]!.shape)}; ` +
          `received ${values.length} with shape(s) ${values.map((v) => fmtShape(v.shape)).join(', ')}`);
      }
    }
    stored.forEach((v, i) => {
      const next = values ? tidy(() => cast(values[i]!, 'float32')) : zeros(v.shape);
      v.assign(next);
      next.dispose();
    });
  }

  override dispose(): void {
    super.dispose();
    for (const v of this.stateVariables ?? []) v.dispose();
    this.stateVariables = null;
  }

  // ---- shapes and config --------------------------------------------------------------------

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape | LayerShape[] {
    const shape = isShapeList(inputShape) ? inputShape[0]! : inputShape;
    const batch = shape[0] ?? null;
    const output: LayerShape = this.returnSequences ? [batch, shape[1] ?? null, this.units] : [batch, this.units];
    return this.returnState ? [output, ...this.stateNames().map((): LayerShape => [batch, this.units])] : output;
  }

  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | (Tensor | null)[] | null | undefined): Tensor | (Tensor | null)[] | null {
    const output = this.returnSequences ? sequenceMask(mask) : null;
    return this.returnState ? [output, ...this.stateNames().map(() => null)] : output;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationConfig(this.activation),
      useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer),
      recurrentInitializer: serialize(this.recurrentInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      recurrentRegularizer: serialize(this.recurrentRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      kernelConstraint: serialize(this.kernelConstraint),
      recurrentConstraint: serialize(this.recurrentConstraint),
      biasConstraint: serialize(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
  }
}

/**
 * The `implementation` option of LSTM and GRU: 1 or 2 (default 2), kept for configs only.
 *
 * @example
 * this.implementation = implementationOption(this, args.implementation);
 */
export function implementationOption(layer: Layer, value: unknown): number {
  if (value === undefined || value === null) return 2;
  if (value !== 1 && value !== 2) throw optionFailure(layer, 'implementation', '1 or 2', value);
  return value;
}
