import type {
  BinaryOp, Capabilities, Conv2DAttrs, DataId, DType, Engine, EngineMemory, FusedActivation, HostArray,
  OptimizerUpdate, OutputInfo, Pool2DAttrs, RandomAttrs, ReduceOp, Shape, TensorInfo, UnaryAttrs, UnaryOp,
} from '@strata/engine-api';
import type { GpuData } from './gpu-data.js';
import { GpuRuntime } from './gpu-runtime.js';
import type { GpuDevice } from './device.js';
import { binary } from './kernels/binary.js';
import { cast } from './kernels/cast.js';
import { concat } from './kernels/concat.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './kernels/conv2d.js';
import { cumsum } from './kernels/cumsum.js';
import { depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './kernels/depthwise-conv2d.js';
import { fill } from './kernels/fill.js';
import { gather, scatterAdd } from './kernels/gather.js';
import { fusedMatmul, matmul } from './kernels/matmul.js';
import { optimizerUpdate } from './kernels/optimizer-update.js';
import { pad } from './kernels/pad.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from './kernels/pool.js';
import { random } from './kernels/random.js';
import { reduce } from './kernels/reduce.js';
import { logSoftmax, softmax } from './kernels/softmax.js';
import { softmaxCrossEntropy } from './kernels/softmax-cross-entropy.js';
import { stridedSlice } from './kernels/strided-slice.js';
import { tile } from './kernels/tile.js';
import { topK } from './kernels/top-k.js';
import { transpose } from './kernels/transpose.js';
import { unary } from './kernels/unary.js';
import { where } from './kernels/where.js';

/**
 * The WebGPU engine: every kernel is a WGSL compute program. Dispatch only records work; nothing
 * waits for the GPU until `read`, so a training step runs without a host round trip.
 *
 * @example
 * const engine = await createEngine();
 * const x = engine.upload(new Float32Array([1, 4, 9]), [3], 'float32');
 * const y = engine.unary('sqrt', { dataId: x, shape: [3], dtype: 'float32' }, { shape: [3], dtype: 'float32' });
 * await engine.read({ dataId: y, shape: [3], dtype: 'float32' }); // Float32Array [1, 2, 3]
 */
export class WebGpuEngine implements Engine {
  readonly name = 'webgpu';
  readonly capabilities: Capabilities = { readSync: false };
  /** @internal Kernels run through this. */
  readonly runtime: GpuRuntime;

  constructor(gpu: GpuDevice) {
    this.runtime = new GpuRuntime(gpu);
  }

  /** The adapter this engine runs on, e.g. `mesa llvmpipe …`. */
  get adapterDescription(): string {
    return this.runtime.description;
  }

  // ---- buffers -------------------------------------------------------------------------------

  upload(values: HostArray, shape: Shape, dtype: DType): DataId {
    return this.runtime.upload(values, shape, dtype);
  }

  read(x: TensorInfo): Promise<HostArray> {
    return this.runtime.read(x);
  }

  dispose(dataId: DataId): void {
    this.runtime.release(dataId as GpuData);
  }

  memory(): EngineMemory {
    return this.runtime.memory();
  }

  /** Frees every buffer and pipeline of this engine; the shared device stays up for reuse. */
  close(): void {
    this.runtime.close();
  }

  // ---- creation ------------------------------------------------------------------------------

  fill(out: OutputInfo, value: number): DataId {
    return fill(this.runtime, out, value);
  }

  random(out: OutputInfo, attrs: RandomAttrs): DataId {
    return random(this.runtime, out, attrs);
  }

  // ---- elementwise ---------------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo, out: OutputInfo, attrs?: UnaryAttrs): DataId {
    return unary(this.runtime, op, x, out, attrs ?? {});
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, out: OutputInfo): DataId {
    return binary(this.runtime, op, a, b, out);
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, out: OutputInfo): DataId {
    return where(this.runtime, cond, a, b, out);
  }

  cast(x: TensorInfo, out: OutputInfo): DataId {
    return cast(this.runtime, x, out);
  }

  // ---- reductions and scans ------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], out: OutputInfo): DataId {
    return reduce(this.runtime, op, x, axes, out);
  }

  cumsum(x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean, out: OutputInfo): DataId {
    return cumsum(this.runtime, x, axis, exclusive, reverse, out);
  }

  topK(x: TensorInfo, k: number, values: OutputInfo, indices: OutputInfo): [DataId, DataId] {
    return topK(this.runtime, x, k, values, indices);
  }

  // ---- layout --------------------------------------------------------------------------------

  transpose(x: TensorInfo, perm: readonly number[], out: OutputInfo): DataId {
    return transpose(this.runtime, x, perm, out);
  }

  stridedSlice(x: TensorInfo, begin: readonly number[], strides: readonly number[], out: OutputInfo): DataId {
    return stridedSlice(this.runtime, x, begin, strides, out);
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number, out: OutputInfo): DataId {
    return pad(this.runtime, x, paddings, value, out);
  }

  concat(xs: readonly TensorInfo[], axis: number, out: OutputInfo): DataId {
    return concat(this.runtime, xs, axis, out);
  }

  tile(x: TensorInfo, reps: readonly number[], out: OutputInfo): DataId {
    return tile(this.runtime, x, reps, out);
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): DataId {
    return gather(this.runtime, x, indices, axis, out);
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): DataId {
    return scatterAdd(this.runtime, updates, indices, axis, out);
  }

  // ---- linear algebra ------------------------------------------------------------------------

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, out: OutputInfo): DataId {
    return matmul(this.runtime, a, b, transposeA, transposeB, out);
  }

  // ---- fast paths ----------------------------------------------------------------------------

  fusedMatmul(
    a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, activation: FusedActivation,
    transposeA: boolean, transposeB: boolean, out: OutputInfo,
  ): DataId {
    return fusedMatmul(this.runtime, a, b, bias, activation, transposeA, transposeB, out);
  }

  conv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return conv2d(this.runtime, x, filter, attrs, out);
  }

  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return conv2dBackpropInput(this.runtime, dy, filter, attrs, out);
  }

  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return conv2dBackpropFilter(this.runtime, x, dy, attrs, out);
  }

  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return depthwiseConv2d(this.runtime, x, filter, attrs, out);
  }

  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return depthwiseConv2dBackpropInput(this.runtime, dy, filter, attrs, out);
  }

  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return depthwiseConv2dBackpropFilter(this.runtime, x, dy, attrs, out);
  }

  maxPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return maxPool(this.runtime, x, attrs, out);
  }

  maxPoolBackward(dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return maxPoolBackward(this.runtime, dy, x, attrs, out);
  }

  avgPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return avgPool(this.runtime, x, attrs, out);
  }

  avgPoolBackward(dy: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return avgPoolBackward(this.runtime, dy, attrs, out);
  }

  softmax(x: TensorInfo, out: OutputInfo): DataId {
    return softmax(this.runtime, x, out);
  }

  logSoftmax(x: TensorInfo, out: OutputInfo): DataId {
    return logSoftmax(this.runtime, x, out);
  }

  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo, out: OutputInfo): DataId {
    return softmaxCrossEntropy(this.runtime, logits, labels, out);
  }

  optimizerUpdate(update: OptimizerUpdate, variable: TensorInfo, gradient: TensorInfo, slots: readonly TensorInfo[]): void {
    optimizerUpdate(this.runtime, update, variable, gradient, slots);
  }
}
