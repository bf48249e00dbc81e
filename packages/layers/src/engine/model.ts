import { StrataError, Tensor, Variable, tidy, type DType } from '@strata/core';
import { LayerError, shapeString, type LayerShape } from './errors.js';
import { functionalConfig, kerasClassName } from './functional-config.js';
import { buildGraph, type Graph } from './graph.js';
import { InputLayer } from './input-layer.js';
import { Layer, type CallArgs, type LayerArgs, type LayerWeight } from './layer.js';
import type { Node } from './node.js';
import { SymbolicTensor } from './symbolic.js';
import type { History } from '../callbacks/history.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { CompiledModel, type CompileArgs } from '../training/compile.js';
import { evaluateModel, testOnBatchModel, trainOnBatchModel, type OnBatchArgs } from '../training/evaluate.js';
import { fitModel, type FitArgs } from '../training/fit.js';
import { predictModel, predictOnBatchModel } from '../training/predict.js';
import type { EvaluateArgs, Logs, ModelData, PredictArgs } from '../training/types.js';
import { summarize, type SummaryOptions } from './summary.js';
import { saveModel, type SaveOptions } from '../saving/save-model.js';
import { loadModelWeights, saveModelWeights } from '../saving/weights-file.js';

/** Options of `model()`. */
export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

type Mask = Tensor | null;

/**
 * A model: a graph of layer calls from symbolic inputs to outputs (Keras Functional API), itself a
 * layer so it can be used inside other models. `Sequential` is one of these built layer by layer.
 * Training (`compile`, `fit`, `evaluate`, `predict`) is added by the training module.
 *
 * @example
 * const x = input({ shape: [4] });
 * const y = layers.dense({ units: 2, activation: 'softmax' }).apply(layers.dense({ units: 8 }).apply(x));
 * const m = model({ inputs: x, outputs: y });
 */
export class LayersModel extends Layer {
  static override readonly className: string = 'Functional';

  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  protected graph: Graph = { nodes: [], layers: [] };
  /** Set by a callback (EarlyStopping, TerminateOnNaN) to end `fit` after the current batch. */
  stopTraining = false;
  /** Whether the model's last inputs/outputs were given as lists (so results come back as lists). */
  protected inputsAsList = false;
  protected outputsAsList = false;

  constructor(args?: ModelArgs & LayerArgs) {
    super({ name: args?.name });
    if (args) this.initGraph(args.inputs, args.outputs);
  }

  /** (Re)defines the graph: used by the constructor, and by Sequential as layers are added. */
  protected initGraph(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[]): void {
    this.inputsAsList = Array.isArray(inputs);
    this.outputsAsList = Array.isArray(outputs);
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    for (const t of [...ins, ...outs]) {
      if (!(t instanceof SymbolicTensor)) {
        throw new StrataError(`model '${this.name}': inputs and outputs must be symbolic tensors (from input() and layer.apply()); received ${String(t)}.`);
      }
    }
    if (ins.length === 0 || outs.length === 0) throw new StrataError(`model '${this.name}': needs at least one input and one output.`);
    this.graph = buildGraph(ins, outs, this.name);
    this.inputs = ins;
    this.outputs = outs;
    this.built = true;
  }

  /** The layers of the model in order (input layers included for Functional models). */
  get layers(): Layer[] {
    return [...this.graph.layers];
  }

  /** Names of the model's inputs, in order (keys for object-form data). */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.sourceLayer.name);
  }

  /** Names of the model's outputs, in order (keys for object-form labels and per-output logs). */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.sourceLayer.name);
  }

  /** Nodes of the graph in run order. */
  get nodes(): readonly Node[] {
    return this.graph.nodes;
  }

  override get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    return unique(this.graph.layers.flatMap((l) => l.trainableWeights));
  }

  override get nonTrainableWeights(): Variable[] {
    const all = unique(this.graph.layers.flatMap((l) => [...l.trainableWeights, ...l.nonTrainableWeights]));
    if (!this.trainable) return all;
    const trainable = new Set(this.trainableWeights);
    return all.filter((v) => !trainable.has(v));
  }

  override get weightEntries(): readonly LayerWeight[] {
    const seen = new Set<Variable>();
    return this.graph.layers.flatMap((l) => l.weightEntries).filter((w) => !seen.has(w.variable) && seen.add(w.variable));
  }

  override countParams(): number {
    return this.weightEntries.reduce((n, w) => n + w.variable.size, 0);
  }

  override regularizationLosses(): Tensor[] {
    return this.graph.layers.flatMap((l) => l.regularizationLosses());
  }

  override takeCallLosses(): Tensor[] {
    return [...super.takeCallLosses(), ...this.graph.layers.flatMap((l) => l.takeCallLosses())];
  }

  override applyConstraints(): void {
    for (const l of this.graph.layers) l.applyConstraints();
  }

  override build(_inputShape: LayerShape | LayerShape[]): void {
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape | LayerShape[] {
    const given = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as LayerShape[];
    given.forEach((s, i) => this.checkInputShape(i, s));
    const shapes = this.outputs.map((t) => t.shape);
    return this.outputsAsList ? shapes : shapes[0]!;
  }

  override computeOutputDType(_inputDTypes: DType[]): DType {
    return this.outputs[0]?.dtype ?? 'float32';
  }

  /** Checks a concrete or symbolic input shape against the model's input `i`. */
  checkInputShape(i: number, shape: readonly (number | null)[]): void {
    const expected = this.inputs[i]?.shape;
    if (!expected) throw new StrataError(`model '${this.name}' has ${this.inputs.length} input(s); received input ${i}.`);
    const ok = expected.length === shape.length && expected.every((d, k) => d === null || shape[k] === null || d === shape[k]);
    if (!ok) {
      throw new LayerError(this, `input '${this.inputNames[i]}' expects shape ${shapeString(expected)}, received ${shapeString(shape)}`);
    }
  }

  /**
   * Runs the graph on real tensors: each layer call in order, passing masks along. Returns one
   * tensor per output.
   *
   * @example
   * const [probs] = m.run([x], false);
   */
  run(inputs: readonly Tensor[], training: boolean): Tensor[] {
    if (inputs.length !== this.inputs.length) {
      throw new StrataError(`model '${this.name}' expects ${this.inputs.length} input(s) (${this.inputNames.join(', ')}); received ${inputs.length}.`);
    }
    const values = new Map<number, Tensor>();
    const masks = new Map<number, Mask>();
    inputs.forEach((t, i) => {
      this.checkInputShape(i, t.shape);
      values.set(this.inputs[i]!.id, t);
    });
    for (const node of this.graph.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const args = node.inputs.map((s) => values.get(s.id)!);
      const argMasks = node.inputs.map((s) => masks.get(s.id) ?? null);
      const hasMask = argMasks.some((m) => m !== null);
      const asList = node.inputs.length > 1;
      const callArgs: CallArgs = { ...node.kwargs, training };
      if (hasMask) callArgs.mask = asList ? argMasks : argMasks[0]!;
      const out = node.layer.invoke(asList ? args : args[0]!, callArgs);
      const outs = Array.isArray(out) ? out : [out];
      // The mask work is scoped so layers' intermediates are freed; only the masks survive.
      const outMask = tidy(() => ({ m: node.layer.computeMask(asList ? args : args[0]!, hasMask ? callArgs.mask : null) })).m;
      const outMasks = Array.isArray(outMask) ? outMask : [outMask];
      node.outputs.forEach((s, k) => {
        values.set(s.id, outs[k]!);
        masks.set(s.id, outMasks.length === 1 ? outMasks[0] ?? null : outMasks[k] ?? null);
      });
    }
    return this.outputs.map((s) => values.get(s.id)!);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const outs = this.run(Array.isArray(inputs) ? inputs : [inputs], args.training ?? false);
    return this.outputsAsList ? outs : outs[0]!;
  }

  /**
   * A layer by name or by index in `layers`.
   *
   * @example
   * m.getLayer('dense_1');
   */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const found = typeof nameOrIndex === 'number' ? layers[nameOrIndex] : layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new StrataError(`model '${this.name}' has no layer ${typeof nameOrIndex === 'number' ? `at index ${nameOrIndex} (it has ${layers.length})` : `named '${nameOrIndex}' (it has: ${layers.map((l) => l.name).join(', ')})`}.`);
    }
    return found;
  }

  override dispose(): void {
    for (const l of this.graph.layers) if (l !== this) l.dispose();
    this.compiled?.dispose();
  }

  /**
   * Prints the Keras summary table (layers, output shapes, parameter counts, connections for
   * Functional models, totals) and returns it as a string.
   *
   * @example
   * const text = m.summary({ printFn: () => {} });
   */
  summary(options: SummaryOptions = {}): string {
    return summarize(this, options);
  }

  /**
   * The Keras config of the graph, as TF.js writes it (camelCase here; saving turns it into
   * snake_case): the layers with their configs and calls (`inboundNodes`), `inputLayers`,
   * `outputLayers`.
   *
   * @example
   * (m.getConfig().layers as unknown[]).length; // the model's layers, input layers included
   */
  override getConfig(): Record<string, unknown> {
    const { layers, nodes } = this.graph;
    return functionalConfig({ name: this.name, trainable: this.trainable, layers, nodes, inputs: this.inputs, outputs: this.outputs }, (l) => l instanceof LayersModel);
  }

  // ==== training: compile / fit / evaluate / predict ===========================================
  // Thin wrappers over ../training/*.ts, which hold the loops and their checks.

  /** What `compile` set up (optimizer, losses, metrics); null until the model is compiled. */
  compiled: CompiledModel | null = null;

  /**
   * The optimizer given to `compile` (undefined before). Callbacks change its `learningRate`.
   *
   * @example
   * model.compile({ optimizer: 'adam', loss: 'mse' });
   * model.optimizer!.learningRate = 1e-4;
   */
  get optimizer(): Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  /**
   * The log names of a training or evaluation run: `loss`, per-output losses, metrics (known once
   * the metrics are built on the first data).
   *
   * @example
   * model.metricsNames; // ['loss', 'accuracy']
   */
  get metricsNames(): string[] {
    return this.compiled?.logNames ?? [];
  }

  /**
   * Configures the model for training: the optimizer (a name such as `'adam'` with Keras'
   * defaults, `{ className, config }`, or an instance), the loss (one for all outputs, a list per
   * output, or an object keyed by output name), metrics (a list for every output, or an object per
   * output name; `'accuracy'` picks binary, categorical or sparse accuracy), and `lossWeights`.
   * Logs are named as in Keras: `loss`, `<metric>`, and with several outputs `<output>_loss` and
   * `<output>_<metric>`. Compiling again replaces the earlier setup (a new optimizer state).
   * An optimizer given by name belongs to the model and `model.dispose()` frees it; an optimizer
   * instance you pass stays yours (it may be shared), so call its `dispose()` when done.
   *
   * @example
   * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
   */
  compile(args: CompileArgs): void {
    const next = new CompiledModel(this, args);
    this.compiled?.dispose();
    this.compiled = next;
  }

  /**
   * Trains the model for `epochs` epochs on `x` and `y` (tensors, lists, or objects keyed by
   * input/output name). Every argument and the data are checked before any work; the data are
   * shuffled each epoch with a permutation drawn from the global seed (`setSeed`), so runs repeat
   * exactly. Resolves to the `History` of per-epoch logs (`loss`, metrics, `val_*`).
   *
   * @example
   * const history = await model.fit(x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2, callbacks: [callbacks.earlyStopping({ patience: 2 })] });
   * history.history.val_loss;
   */
  fit(x: ModelData, y: ModelData, args?: FitArgs): Promise<History> {
    return fitModel(this, x, y, args);
  }

  /**
   * The loss and metrics on `x`, `y` in inference mode, as numbers keyed by log name.
   *
   * @example
   * const { loss, accuracy } = await model.evaluate(xTest, yTest, { batchSize: 128 });
   */
  evaluate(x: ModelData, y: ModelData, args?: EvaluateArgs): Promise<Logs> {
    return evaluateModel(this, x, y, args);
  }

  /**
   * The model's outputs for `x` in inference mode, computed in batches and concatenated: one
   * tensor, or a list for models with several outputs. The caller owns (and disposes) them.
   *
   * @example
   * const probs = (await model.predict(xTest, { batchSize: 64 })) as Tensor;
   */
  predict(x: ModelData, args?: PredictArgs): Promise<Tensor | Tensor[]> {
    return predictModel(this, x, args);
  }

  /**
   * One gradient step on exactly this batch; resolves to its logs (`loss`, metrics).
   *
   * @example
   * const { loss } = await model.trainOnBatch(xBatch, yBatch);
   */
  trainOnBatch(x: ModelData, y: ModelData, args?: OnBatchArgs): Promise<Logs> {
    return trainOnBatchModel(this, x, y, args);
  }

  /**
   * The loss and metrics of one batch in inference mode.
   *
   * @example
   * const { loss } = await model.testOnBatch(xBatch, yBatch);
   */
  testOnBatch(x: ModelData, y: ModelData, args?: OnBatchArgs): Promise<Logs> {
    return testOnBatchModel(this, x, y, args);
  }

  /**
   * The model's outputs for one batch in inference mode (synchronous, no batching).
   *
   * @example
   * const y = model.predictOnBatch(xBatch) as Tensor;
   */
  predictOnBatch(x: ModelData): Tensor | Tensor[] {
    return predictOnBatchModel(this, x);
  }
  // ==== end of training ========================================================================

  // ==== saving: thin wrappers over ../saving/*.ts ===============================================
  // Static imports: a dynamic import() loads a second copy of the module graph where tests run
  // as CommonJS (mocha through tsx), with its own engine registry. The saving modules use this
  // module's classes only inside functions, so the import cycle through the topology is harmless.

  /**
   * Saves the model into directory `path` in TF.js's layers-model format: `model.json` (Keras
   * topology, weights manifest, and for a compiled model the training config) and `weights.bin`
   * (the weights, then the optimizer state). `loadModel(path)` restores it, compiled, so that
   * `fit` continues exactly; TF.js's `tf.loadLayersModel` reads it too. Atomic: a save that fails
   * part-way leaves the previous files intact. Node only.
   *
   * @example
   * await model.save('./my-model');
   * await model.save('./my-model', { includeOptimizer: false });
   */
  async save(path: string, options?: SaveOptions): Promise<void> {
    await saveModel(this, path, options);
  }

  /**
   * Saves the weights only into directory `path`: `weights.json` (a TF.js weights manifest) and
   * `weights.bin`; atomic, as `save`. Node only.
   *
   * @example
   * await model.saveWeights('./ckpt');
   */
  async saveWeights(path: string): Promise<void> {
    await saveModelWeights(this, path);
  }

  /**
   * Loads weights by name from a directory written by `saveWeights` or `save` (or the path of its
   * weights.json / model.json). Every weight must be there with its shape; on any problem the
   * model is left unchanged. Node only.
   *
   * @example
   * await model.loadWeights('./ckpt');
   */
  async loadWeights(path: string): Promise<void> {
    await loadModelWeights(this, path);
  }
  // ==== end of saving ==========================================================================
}

/**
 * The input a Sequential model gets from its first layer: the layer's input shape option, or the
 * input of a model used as the first layer (as Keras and TF.js do); null when it has neither.
 */
function firstInput(layer: Layer): SymbolicTensor | null {
  if (layer.batchInputShape) return new InputLayer({ batchShape: layer.batchInputShape, dtype: layer.dtype }).output;
  const only = layer instanceof LayersModel && layer.inputs.length === 1 ? layer.inputs[0]! : null;
  return only ? new InputLayer({ batchShape: only.shape, dtype: only.dtype }).output : null;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Options of `sequential()`. */
export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

/**
 * A linear stack of layers. The first layer's `inputShape` (or an `input` layer) fixes the input;
 * without one the model is built from the first data it sees.
 *
 * @example
 * const m = sequential({ layers: [layers.dense({ units: 64, inputShape: [784], activation: 'relu' }), layers.dense({ units: 10 })] });
 * m.add(layers.softmax());
 */
export class Sequential extends LayersModel {
  static override readonly className: string = 'Sequential';
  private readonly stack: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    super();
    if (args.name) this.name = args.name;
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** The layers added, in order (without the implicit input layer). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  /**
   * Appends a layer; when the input shape is known the new layer is built and its shapes checked now.
   *
   * @example
   * m.add(layers.dropout({ rate: 0.5 }));
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new StrataError(`sequential '${this.name}'.add: expected a layer, received ${String(layer)}.`);
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0 || this.inputs.length > 0) throw new StrataError(`sequential '${this.name}': an input layer can only be the first layer.`);
      this.initGraph(layer.output, layer.output);
      return;
    }
    if (this.stack.includes(layer)) throw new StrataError(`sequential '${this.name}': layer ${layer.toString()} was already added.`);
    const known = this.inputs.length > 0 ? this.outputs[0]! : this.stack.length === 0 ? firstInput(layer) : null;
    this.stack.push(layer);
    if (known) this.extend(known, layer);
  }

  /** Removes the last layer. */
  pop(): void {
    const last = this.stack.pop();
    if (!last) throw new StrataError(`sequential '${this.name}'.pop: the model has no layers.`);
    if (this.inputs.length > 0) this.rebuild(this.inputs[0]!.shape, this.inputs[0]!.dtype);
  }

  private extend(from: SymbolicTensor, layer: Layer): void {
    const out = layer.apply(from);
    if (Array.isArray(out)) {
      this.stack.pop();
      throw new LayerError(layer, 'returns several outputs, which a Sequential model cannot pass on; use the functional API (model({ inputs, outputs }))');
    }
    this.initGraph(this.inputs[0] ?? from, out);
  }

  /** Builds the graph for an input shape (when the first layer did not give one). */
  rebuild(batchShape: LayerShape, dtype: DType = 'float32'): void {
    const x = new InputLayer({ batchShape, dtype }).output;
    this.inputs = [];
    this.outputs = [];
    let y: SymbolicTensor = x;
    for (const layer of this.stack) {
      const out = layer.apply(y);
      if (Array.isArray(out)) throw new LayerError(layer, 'returns several outputs, which a Sequential model cannot pass on');
      y = out;
    }
    this.initGraph(x, y);
  }

  /** Builds from the first data when no input shape was given. */
  ensureBuilt(sample: Tensor): void {
    if (this.inputs.length > 0) return;
    if (this.stack.length === 0) throw new StrataError(`sequential '${this.name}' has no layers; add some before using it.`);
    this.rebuild([null, ...sample.shape.slice(1)], sample.dtype);
  }

  override run(inputs: readonly Tensor[], training: boolean): Tensor[] {
    if (this.inputs.length === 0 && inputs[0]) this.ensureBuilt(inputs[0]);
    return super.run(inputs, training);
  }

  override getConfig(): Record<string, unknown> {
    const layers = this.stack.map((l) => ({ className: kerasClassName(l), config: l.getConfig() }));
    const input = this.inputs[0];
    const first = this.stack[0];
    // A model as first layer brings its own input; other layers carry it as an option.
    const carried = first instanceof LayersModel ? first.inputs.length === 1 : Boolean(first?.batchInputShape);
    if (input && first && !carried) {
      // The input shape came from an input layer or from data, not from the first layer's
      // options: save it, so the loaded model is built and its weights can be read. The first
      // layer carries it when it can (as TF.js writes it), else an InputLayer entry (Keras 2).
      if (first instanceof LayersModel || first.dtype !== input.dtype) {
        layers.unshift({ className: 'InputLayer', config: { batchInputShape: [...input.shape], dtype: input.dtype, name: input.sourceLayer.name, sparse: false } });
      } else {
        layers[0] = { ...layers[0]!, config: { ...layers[0]!.config, batchInputShape: [...input.shape] } };
      }
    }
    const config: Record<string, unknown> = { name: this.name, layers };
    if (!this.trainable) config.trainable = false;
    return config;
  }
}
