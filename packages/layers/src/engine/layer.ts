import { StrataError, Tensor, Variable, cast, clone, fmtShape, tidy, variable, zeros, type DType } from '@strata/core';
import type { Serializable } from '../registry.js';
import { LayerError, shapeString, type LayerShape } from './errors.js';
import { uniqueLayerName } from './naming.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic.js';
import { chargeWeight } from './weight-budget.js';

/** Options every layer takes (Keras `**kwargs`). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Input shape without the batch dim, for the first layer of a model. */
  inputShape?: readonly (number | null)[];
  /** Input shape with the batch dim (`null` when any). */
  batchInputShape?: readonly (number | null)[];
  /** Fixed batch size, with `inputShape`. */
  batchSize?: number;
  dtype?: DType;
}

/** What `call` receives besides its inputs. */
export interface CallArgs {
  /** True in `fit` (dropout active, batch statistics); false in `evaluate`/`predict`. */
  training?: boolean;
  /** Per-timestep masks of the inputs (from `Embedding({ maskZero })` or `Masking`), if any. */
  mask?: Tensor | (Tensor | null)[] | null;
  [key: string]: unknown;
}

/** Builds initial weight values (the `initializers` family). */
export interface InitializerLike {
  apply(shape: number[], dtype?: DType): Tensor;
}

/** A scalar penalty on a weight (the `regularizers` family). */
export interface RegularizerLike {
  apply(x: Tensor): Tensor;
}

/** A projection applied to a weight after each optimizer step (the `constraints` family). */
export interface ConstraintLike {
  apply(w: Tensor): Tensor;
}

/** One weight of a layer. */
export interface LayerWeight {
  /** Keras name, `<layer>/<weight>` (as TF.js saves it). */
  readonly name: string;
  readonly variable: Variable;
  readonly regularizer?: RegularizerLike;
  readonly constraint?: ConstraintLike;
}

/** What a layer expects of its input, checked before every call (Keras `InputSpec`). */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Required sizes of given axes (negative counts from the end). */
  axes?: Record<number, number>;
}

type Shapes = LayerShape | LayerShape[];

/**
 * The base of every layer: owns weights, builds itself from the first input shape it sees, infers
 * output shapes when called on symbolic tensors (so shape errors appear when the model is defined,
 * naming the layer), and runs `call` on real tensors. Subclass it for custom layers: override
 * `build`, `call`, `computeOutputShape` and `getConfig`, and give the class a static `className`.
 *
 * @example
 * class Scale extends Layer {
 *   static override readonly className = 'Scale';
 *   private factor!: Variable;
 *   override build(shape: LayerShape) { this.factor = this.addWeight('factor', [1], 'float32', { apply: (s) => ones(s) }); super.build(shape); }
 *   override call(x: Tensor | Tensor[]) { return mul(x as Tensor, this.factor); }
 * }
 */
export class Layer implements Serializable {
  /** The Keras class name; every subclass sets its own. */
  static readonly className: string = 'Layer';

  name: string;
  trainable: boolean;
  readonly dtype: DType;
  built = false;
  /** Whether the layer passes its input mask on unchanged (Keras `supports_masking`). */
  supportsMasking = false;
  /** Checked against each input before every call; set by subclasses (often in `build`). */
  inputSpec: InputSpec[] | null = null;
  /** The calls of this layer on symbolic tensors (several for a shared layer). */
  readonly inboundNodes: Node[] = [];
  /** Input shape with batch dim given in the options, for the first layer of a model. */
  readonly batchInputShape: LayerShape | null;
  protected readonly layerWeights: LayerWeight[] = [];
  /** Penalties added by the last call (activity regularizers). */
  protected callLosses: Tensor[] = [];

  constructor(args: LayerArgs = {}) {
    this.name = args.name ?? uniqueLayerName(this.className);
    this.trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else this.batchInputShape = null;
  }

  /** The Keras class name (from the class's static `className`). */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  // ---- weights ------------------------------------------------------------------------------

  /**
   * Creates a weight, initialised by `initializer`. Call from `build`.
   *
   * @example
   * this.kernel = this.addWeight('kernel', [inputDim, this.units], 'float32', this.kernelInitializer, this.kernelRegularizer);
   */
  addWeight(
    name: string, shape: readonly number[], dtype: DType, initializer: InitializerLike,
    regularizer?: RegularizerLike, trainable = true, constraint?: ConstraintLike,
  ): Variable {
    if (this.layerWeights.some((w) => w.name === `${this.name}/${name}`)) {
      throw new LayerError(this, `already has a weight named '${name}'; weight names must be unique within a layer`);
    }
    // Under a loader's budget, sizes a file claims fail here rather than exhausting memory.
    chargeWeight(`${this.name}/${name}`, shape);
    const v = tidy(() => variable(initializer.apply([...shape], dtype), trainable && this.trainable));
    this.layerWeights.push({ name: `${this.name}/${name}`, variable: v, regularizer, constraint });
    return v;
  }

  /** Every weight with its Keras name, regularizer and constraint. */
  get weightEntries(): readonly LayerWeight[] {
    return this.layerWeights;
  }

  /** The weights the optimizer updates (none while `trainable` is false). */
  get trainableWeights(): Variable[] {
    return this.trainable ? this.layerWeights.filter((w) => w.variable.trainable).map((w) => w.variable) : [];
  }

  /** The weights the optimizer leaves alone (moving statistics, frozen layers). */
  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.layerWeights.filter((w) => !w.variable.trainable).map((w) => w.variable) : this.layerWeights.map((w) => w.variable);
  }

  /** All weights: trainable first, as Keras orders them. */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /**
   * Copies of the weight values, in `weights` order (the caller owns them).
   *
   * @example
   * const [kernel, bias] = dense.getWeights();
   */
  getWeights(): Tensor[] {
    return this.weights.map((w) => clone(w));
  }

  /**
   * Replaces the weight values, in `weights` order; shapes must match.
   *
   * @example
   * dense.setWeights([kernel, bias]);
   */
  setWeights(values: readonly Tensor[]): void {
    const targets = this.weights;
    if (values.length !== targets.length) {
      throw new LayerError(this, `setWeights expected ${targets.length} weight(s) (${this.weightNames().join(', ')}), received ${values.length}`);
    }
    targets.forEach((w, i) => {
      const v = values[i]!;
      if (v.shape.length !== w.shape.length || v.shape.some((d, k) => d !== w.shape[k])) {
        throw new LayerError(this, `setWeights: weight '${this.weightNames()[i]}' has shape ${fmtShape(w.shape)}, received ${fmtShape(v.shape)}`);
      }
    });
    targets.forEach((w, i) => {
      const v = values[i]!;
      if (v.dtype === w.dtype) return w.assign(v);
      const converted = cast(v, w.dtype);
      w.assign(converted);
      converted.dispose();
    });
  }

  private weightNames(): string[] {
    const byVariable = new Map(this.layerWeights.map((w) => [w.variable, w.name]));
    return this.weights.map((v) => byVariable.get(v) ?? v.name);
  }

  /**
   * Number of scalars in the weights.
   *
   * @example
   * layers.dense({ units: 10, inputShape: [784] }).countParams(); // 7850 once built
   */
  countParams(): number {
    return this.layerWeights.reduce((n, w) => n + w.variable.size, 0);
  }

  /** Weight regularization penalties (call inside `tidy`). */
  regularizationLosses(): Tensor[] {
    const out: Tensor[] = [];
    for (const w of this.layerWeights) if (w.regularizer && w.variable.trainable && this.trainable) out.push(w.regularizer.apply(w.variable));
    return out;
  }

  /** Adds a penalty computed during `call` (activity regularizers); collected by the training loop. */
  addLoss(loss: Tensor): void {
    this.callLosses.push(loss);
  }

  /** Takes the penalties the last calls added (the caller owns them). */
  takeCallLosses(): Tensor[] {
    const out = this.callLosses;
    this.callLosses = [];
    return out;
  }

  /** Applies weight constraints (after each optimizer step). */
  applyConstraints(): void {
    for (const w of this.layerWeights) {
      if (w.constraint) {
        const projected = tidy(() => w.constraint!.apply(w.variable));
        w.variable.assign(projected);
        projected.dispose();
      }
    }
  }

  // ---- the methods subclasses override ------------------------------------------------------

  /** Creates the weights, given the input shape(s). Subclasses call `super.build(shape)` last. */
  build(_inputShape: Shapes): void {
    this.built = true;
  }

  /** The computation on real tensors. */
  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor | Tensor[] {
    return inputs;
  }

  /**
   * The output shape(s) for given input shape(s). The default runs `call` on zeros with two
   * different sizes for each unknown dim and reports as unknown the dims that follow them; built-in
   * layers compute it directly.
   */
  computeOutputShape(inputShape: Shapes): Shapes {
    const multi = isShapeList(inputShape);
    const shapes = multi ? inputShape : [inputShape as LayerShape];
    let listOut = false;
    const run = (fill: number): number[][] => tidy(() => {
      const inputs = shapes.map((s) => zeros(s.map((d) => (d === null ? fill : d))));
      const out = this.call(multi ? inputs : inputs[0]!, { training: false });
      listOut = Array.isArray(out);
      return (Array.isArray(out) ? out : [out]).map((t) => [...t.shape]);
    });
    const a = run(2);
    const b = run(3);
    const merged = a.map((s, i) => s.map((d, k) => (d === b[i]![k] ? d : null)));
    return listOut ? merged : merged[0]!;
  }

  /** The dtype of each output; float32 unless a layer says otherwise. */
  computeOutputDType(_inputDTypes: DType[]): DType {
    return this.dtype;
  }

  /** The output mask: the input mask when the layer supports masking, else none. */
  computeMask(_inputs: Tensor | Tensor[], mask: Tensor | (Tensor | null)[] | null | undefined): Tensor | (Tensor | null)[] | null {
    return this.supportsMasking ? (mask ?? null) : null;
  }

  /** Constructor options that rebuild this layer (camelCase keys). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  // ---- calling ------------------------------------------------------------------------------

  /**
   * Calls the layer. On symbolic tensors (from `input()` or another layer) it builds the layer,
   * checks and infers shapes, and records the call in the model graph; on real tensors it computes.
   *
   * @example
   * const y = layers.dense({ units: 3 }).apply(input({ shape: [4] }));   // SymbolicTensor [null, 3]
   * const z = layers.dense({ units: 3 }).apply(tensor([[1, 2, 3, 4]]));  // Tensor [1, 3]
   */
  apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor, args?: CallArgs): Tensor | Tensor[];
  apply(inputs: Tensor[], args?: CallArgs): Tensor | Tensor[];
  apply(inputs: SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[], args: CallArgs = {}): SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[] {
    const list = (Array.isArray(inputs) ? inputs : [inputs]) as (SymbolicTensor | Tensor)[];
    if (list.length === 0) throw new LayerError(this, 'was called with no inputs');
    const symbolic = list.filter((x) => x instanceof SymbolicTensor).length;
    if (symbolic === list.length) return this.applySymbolic(list as SymbolicTensor[], Array.isArray(inputs), args);
    if (symbolic > 0) {
      throw new LayerError(this, 'was called with a mix of symbolic tensors (from input()) and real tensors; call it on one kind at a time');
    }
    for (const x of list) {
      if (!(x instanceof Tensor)) throw new LayerError(this, `expected Tensor or SymbolicTensor inputs, received ${typeof x}`);
    }
    return this.invoke(inputs as Tensor | Tensor[], args);
  }

  /** Builds on first use (wrapping build errors with the layer's name) and checks the input spec. */
  protected prepare(shapes: LayerShape[], asList: boolean): void {
    if (!this.built) {
      const given = asList ? shapes : shapes[0]!;
      this.withLayerErrors(() => this.build(given));
      this.built = true;
    }
    this.checkInputSpec(shapes);
  }

  private applySymbolic(inputs: SymbolicTensor[], asList: boolean, args: CallArgs): SymbolicTensor | SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    this.prepare(shapes, asList);
    const out = this.withLayerErrors(() => this.computeOutputShape(asList ? shapes : shapes[0]!));
    const outShapes = (isShapeList(out) ? out : [out]) as LayerShape[];
    const dtype = this.computeOutputDType(inputs.map((t) => t.dtype));
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map((s, i) => new SymbolicTensor(s, dtype, this, nodeIndex, i, outShapes.length === 1 ? this.name : `${this.name}:${i}`));
    const { training: _t, mask: _m, ...kwargs } = args;
    this.inboundNodes.push(new Node(this, inputs, outputs, kwargs, nodeIndex));
    return isShapeList(out) ? outputs : outputs[0]!;
  }

  /**
   * Calls the layer on real tensors: builds it on first use, checks the input spec, and runs `call`
   * in a scope that frees its intermediates.
   *
   * @example
   * const y = dense.invoke(x, { training: false });
   */
  invoke(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.prepare(list.map((t) => t.shape), Array.isArray(inputs));
    this.callLosses = [];
    // Penalties added during the call survive the scope with the outputs; the training step that
    // made them collects them (takeCallLosses) and its own scope frees them.
    return tidy(() => ({ out: this.call(inputs, args), losses: this.callLosses })).out;
  }

  /** Runs `fn`, prefixing any plain Strata error with this layer's name and class. */
  protected withLayerErrors<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof LayerError || !(e instanceof StrataError)) throw e;
      throw new LayerError(this, e.message);
    }
  }

  private checkInputSpec(shapes: LayerShape[]): void {
    if (!this.inputSpec) return;
    shapes.forEach((shape, i) => {
      const spec = this.inputSpec![Math.min(i, this.inputSpec!.length - 1)];
      if (!spec) return;
      const which = shapes.length > 1 ? `input ${i}` : 'input';
      if (spec.ndim !== undefined && shape.length !== spec.ndim) {
        throw new LayerError(this, `expected ${which} of rank ${spec.ndim}, received shape ${shapeString(shape)} (rank ${shape.length})`);
      }
      if (spec.minNdim !== undefined && shape.length < spec.minNdim) {
        throw new LayerError(this, `expected ${which} of rank at least ${spec.minNdim}, received shape ${shapeString(shape)}`);
      }
      if (spec.maxNdim !== undefined && shape.length > spec.maxNdim) {
        throw new LayerError(this, `expected ${which} of rank at most ${spec.maxNdim}, received shape ${shapeString(shape)}`);
      }
      for (const [axisText, size] of Object.entries(spec.axes ?? {})) {
        const axis = Number(axisText);
        const dim = shape[axis < 0 ? shape.length + axis : axis];
        if (dim !== null && dim !== undefined && dim !== size) {
          const message = axis === -1 ? `last dimension ${size}` : `dimension ${axis} of size ${size}`;
          throw new LayerError(this, `expected ${which} with ${message}, received shape ${shapeString(shape)}`);
        }
      }
    });
  }

  /** Frees the weights. */
  dispose(): void {
    for (const w of this.layerWeights) w.variable.dispose();
    this.layerWeights.length = 0;
    this.built = false;
  }

  toString(): string {
    return `${this.name} (${this.className})`;
  }
}

/** True when `s` is a list of shapes rather than one shape. */
export function isShapeList(s: Shapes): s is LayerShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}
