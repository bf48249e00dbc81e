import type {
  BinaryOp, Conv2DAttrs, FusedActivation, OptimizerUpdate, Pool2DAttrs, RandomAttrs, ReduceOp, UnaryAttrs, UnaryOp,
} from './kernels.js';
import type { DataId, DType, EngineMemory, HostArray, OutputInfo, Shape, TensorInfo } from './types.js';

/** What an engine can do beyond the required primitives. */
export interface Capabilities {
  /** `readSync` is available (the CPU engine); GPU engines only read asynchronously. */
  readSync: boolean;
}

/**
 * The engine contract. Core calls these and nothing else; engines never see the autograd tape.
 *
 * Rules every engine follows:
 * - Core has computed each output's shape and dtype; kernels never re-derive them.
 * - Every input is contiguous row-major; every kernel returns a new buffer it owns. The one
 *   exception is `optimizerUpdate`, which writes into the buffers of the variable and its slots
 *   (core hands it only buffers no other tensor shares, copying first where needed).
 * - Dispatch is synchronous (GPU engines queue work); only `read` waits.
 * - Required primitives are methods; optional fast paths (marked `?`) have decompositions in core,
 *   so a missing one is slower, never a run-time error. Fast paths that come with a backward kernel
 *   are used only when the engine has both.
 *
 * @example
 * const id = engine.upload(new Float32Array([1, 2]), [2], 'float32');
 * const y = engine.unary('exp', { dataId: id, shape: [2], dtype: 'float32' }, { shape: [2], dtype: 'float32' });
 */
export interface Engine {
  /** Short name users put in the config: `cpu`, `webgpu`, `cuda`. */
  readonly name: string;
  readonly capabilities: Capabilities;

  // ---- buffers -------------------------------------------------------------------------------
  /** Copies host values into a new buffer. `values.length` equals the size of `shape`. */
  upload(values: HostArray, shape: Shape, dtype: DType): DataId;
  /** Resolves to a fresh host copy of a buffer (the caller owns it). */
  read(x: TensorInfo): Promise<HostArray>;
  /** Synchronous read, only where `capabilities.readSync`. */
  readSync?(x: TensorInfo): HostArray;
  /** Frees a buffer; core calls this once, when the last tensor using it is disposed. */
  dispose(dataId: DataId): void;
  /** Live buffers and bytes. */
  memory(): EngineMemory;
  /** Releases everything the engine holds (devices, workers). */
  close?(): void;

  // ---- creation ------------------------------------------------------------------------------
  /** A buffer of `out.shape` with every element `value`. */
  fill(out: OutputInfo, value: number): DataId;
  /** Seeded random values, drawn as `RandomAttrs` specifies. */
  random(out: OutputInfo, attrs: RandomAttrs): DataId;

  // ---- elementwise ---------------------------------------------------------------------------
  unary(op: UnaryOp, x: TensorInfo, out: OutputInfo, attrs?: UnaryAttrs): DataId;
  /** Inputs broadcast NumPy-style to `out.shape` (align trailing dims; size-1 dims repeat). */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, out: OutputInfo): DataId;
  /** `cond ? a : b` elementwise; the three inputs broadcast to `out.shape`. */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, out: OutputInfo): DataId;
  /** Converts dtype: to int32 truncates toward zero; to bool is `x != 0`. */
  cast(x: TensorInfo, out: OutputInfo): DataId;

  // ---- reductions and scans ------------------------------------------------------------------
  /** Reduces the sorted, unique `axes` (reduced dims are dropped from `out.shape`, or kept as 1). */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], out: OutputInfo): DataId;
  /** Cumulative sum along `axis`. */
  cumsum(x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean, out: OutputInfo): DataId;
  /**
   * The `k` largest entries along the last axis, largest first (ties: lower index first).
   * Returns `[values, indices]`; indices are int32.
   */
  topK(x: TensorInfo, k: number, values: OutputInfo, indices: OutputInfo): [DataId, DataId];

  // ---- layout --------------------------------------------------------------------------------
  /** `out[i0..] = x[i at perm]`: output dim `j` is input dim `perm[j]`. */
  transpose(x: TensorInfo, perm: readonly number[], out: OutputInfo): DataId;
  /**
   * `out[i] = x[begin + i * strides]` per dim; strides may be negative (then `begin` is the first
   * element read, counting down). `out.shape` gives how many elements per dim.
   */
  stridedSlice(x: TensorInfo, begin: readonly number[], strides: readonly number[], out: OutputInfo): DataId;
  /** Pads with `value`; `paddings[d] = [before, after]`. */
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number, out: OutputInfo): DataId;
  /** Joins along `axis`; every other dim matches. */
  concat(xs: readonly TensorInfo[], axis: number, out: OutputInfo): DataId;
  /** Repeats `reps[d]` times along each dim. */
  tile(x: TensorInfo, reps: readonly number[], out: OutputInfo): DataId;
  /**
   * Takes slices of `x` along `axis` at int32 `indices` (any shape):
   * `out.shape = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`. Indices are in range (core checks).
   */
  gather(x: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): DataId;
  /**
   * The adjoint of `gather`: a zero tensor of `out.shape` into which each slice of `updates` is
   * added at `indices` along `axis` (repeated indices accumulate).
   */
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): DataId;

  // ---- linear algebra ------------------------------------------------------------------------
  /**
   * Batched matrix product of rank-3 inputs `a: [Ba, M, K]` and `b: [Bb, K, N]` (before the
   * transposes), where `Ba == Bb` or one of them is 1 (broadcast). Output `[max(Ba, Bb), M, N]`.
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, out: OutputInfo): DataId;

  // ---- optional fast paths -------------------------------------------------------------------
  /** `activation(a @ b + bias)`, rank-3 as `matmul`; bias broadcasts over the last dim. */
  fusedMatmul?(
    a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, activation: FusedActivation,
    transposeA: boolean, transposeB: boolean, out: OutputInfo,
  ): DataId;
  conv2d?(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId;
  /** Gradient of conv2d with respect to its input; `out` is the input's shape. */
  conv2dBackpropInput?(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId;
  /** Gradient of conv2d with respect to its filter; `out` is the filter's shape. */
  conv2dBackpropFilter?(x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId;
  depthwiseConv2d?(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId;
  depthwiseConv2dBackpropInput?(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId;
  depthwiseConv2dBackpropFilter?(x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId;
  maxPool?(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId;
  /** Routes each `dy` cell to the first maximal input cell of its window; `out` is x's shape. */
  maxPoolBackward?(dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId;
  avgPool?(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId;
  avgPoolBackward?(dy: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId;
  /** Softmax over the last axis. */
  softmax?(x: TensorInfo, out: OutputInfo): DataId;
  /** Log-softmax over the last axis. */
  logSoftmax?(x: TensorInfo, out: OutputInfo): DataId;
  /**
   * Softmax cross-entropy over the last axis: `logits` and `labels` are float32 of one shape
   * `[..., C]` (labels are probabilities or one-hot rows); `out` is `[...]` (the last dim dropped),
   * each element `-sum_c labels[c] * (x[c] - max - log(sum_k exp(x[k] - max)))` with `max` the row
   * maximum, so large logits cannot overflow. A NaN logit makes its row NaN; so does a zero label
   * against a -Infinity logit (0 * -Infinity), as in the decomposition.
   */
  softmaxCrossEntropy?(logits: TensorInfo, labels: TensorInfo, out: OutputInfo): DataId;
  /**
   * One optimizer step, IN PLACE: reads `variable`, `gradient` and `slots` once and writes the new
   * values into the buffers of `variable` and `slots` (the slot order and the formulas are those of
   * `OptimizerUpdate`). The contract's one kernel that returns nothing and mutates its inputs: core
   * guarantees that each written buffer belongs to that one tensor alone and that none of them
   * aliases another input. All tensors are float32 of one shape; an engine that has this method
   * implements every `OptimizerUpdate` kind.
   */
  optimizerUpdate?(update: OptimizerUpdate, variable: TensorInfo, gradient: TensorInfo, slots: readonly TensorInfo[]): void;
}

/** The kernel names of the optional fast paths, for conformance reports. */
export type FastPath = {
  [K in keyof Engine]-?: undefined extends Engine[K] ? (K extends 'readSync' | 'close' ? never : K) : never;
}[keyof Engine];

/**
 * How an engine package is loaded: it default-exports nothing and names this factory `createEngine`.
 *
 * @example
 * export const createEngine: EngineFactory = async () => new CpuEngine();
 */
export type EngineFactory<Options = Record<string, unknown>> = (options?: Options) => Promise<Engine>;
