import type {
  BinaryOp, Capabilities, Conv2DAttrs, DataId, DType, Engine, EngineMemory, FusedActivation, HostArray,
  OptimizerUpdate, OutputInfo, Pool2DAttrs, RandomAttrs, ReduceOp, Shape, TensorInfo, UnaryAttrs, UnaryOp,
} from '@strata/engine-api';
import { hostArray, sizeOf } from '@strata/engine-api';
import type { CpuData } from './buffer.js';
import { valuesOf, wrap } from './buffer.js';
import { binary } from './kernels/binary.js';
import { cast } from './kernels/cast.js';
import { concat } from './kernels/concat.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './kernels/conv2d.js';
import { cumsum } from './kernels/cumsum.js';
import {
  depthwiseConv2d, depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput,
} from './kernels/depthwise-conv2d.js';
import { fill } from './kernels/fill.js';
import { gather, scatterAdd } from './kernels/gather.js';
import { fusedMatmul, matmul } from './kernels/matmul.js';
import { shutdownGemmWorkers } from './kernels/gemm-worker-pool.js';
import { pad } from './kernels/pad.js';
import { avgPool, avgPoolBackward, maxPool, maxPoolBackward } from './kernels/pool.js';
import { random } from './kernels/random.js';
import { reduce } from './kernels/reduce.js';
import { optimizerUpdate } from './kernels/optimizer-update.js';
import { logSoftmax, softmax } from './kernels/softmax.js';
import { softmaxCrossEntropy } from './kernels/softmax-cross-entropy.js';
import { stridedSlice } from './kernels/strided-slice.js';
import { tile } from './kernels/tile.js';
import { topK } from './kernels/top-k.js';
import { transpose } from './kernels/transpose.js';
import { unary } from './kernels/unary.js';
import { where } from './kernels/where.js';

/**
 * The default engine: plain TypeScript over typed arrays, synchronous, available everywhere.
 * A buffer is a `CpuData` handle around its host array; the engine tracks which handles are
 * live so `memory()` can report leaks.
 *
 * @example
 * const engine = new CpuEngine();
 * const x = engine.upload(new Float32Array([1, 4, 9]), [3], 'float32');
 * const y = engine.unary('sqrt', { dataId: x, shape: [3], dtype: 'float32' }, { shape: [3], dtype: 'float32' });
 * engine.readSync({ dataId: y, shape: [3], dtype: 'float32' }); // Float32Array [1, 2, 3]
 */
export class CpuEngine implements Engine {
  readonly name = 'cpu';
  readonly capabilities: Capabilities = { readSync: true };

  private readonly live = new Set<CpuData>();
  private liveBytes = 0;

  // ---- buffers -------------------------------------------------------------------------------

  upload(values: HostArray, shape: Shape, dtype: DType): DataId {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new Error(`cpu engine: upload of ${values.length} values for shape [${shape.join(', ')}] (${size} elements)`);
    }
    const copy = hostArray(dtype, size);
    if (dtype === 'bool' && !(values instanceof Uint8Array)) {
      for (let i = 0; i < size; i++) copy[i] = values[i] !== 0 ? 1 : 0;
    } else {
      copy.set(values);
    }
    return this.adopt(copy);
  }

  read(x: TensorInfo): Promise<HostArray> {
    return Promise.resolve(this.readSync(x));
  }

  readSync(x: TensorInfo): HostArray {
    return valuesOf(x).slice();
  }

  dispose(dataId: DataId): void {
    const data = dataId as CpuData;
    // Unknown or already-freed handles are ignored: disposal must never throw mid-cleanup.
    if (this.live.delete(data)) this.liveBytes -= data.values.byteLength;
  }

  memory(): EngineMemory {
    return { numBuffers: this.live.size, numBytes: this.liveBytes };
  }

  /** Frees every buffer and stops the GEMM worker threads (they are shared by the process). */
  close(): void {
    this.live.clear();
    this.liveBytes = 0;
    shutdownGemmWorkers();
  }

  // ---- creation ------------------------------------------------------------------------------

  fill(out: OutputInfo, value: number): DataId {
    return this.adopt(fill(out, value));
  }

  random(out: OutputInfo, attrs: RandomAttrs): DataId {
    return this.adopt(random(out, attrs));
  }

  // ---- elementwise ---------------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo, out: OutputInfo, attrs?: UnaryAttrs): DataId {
    return this.adopt(unary(op, x, out, attrs));
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, out: OutputInfo): DataId {
    return this.adopt(binary(op, a, b, out));
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, out: OutputInfo): DataId {
    return this.adopt(where(cond, a, b, out));
  }

  cast(x: TensorInfo, out: OutputInfo): DataId {
    return this.adopt(cast(x, out));
  }

  // ---- reductions and scans ------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], out: OutputInfo): DataId {
    return this.adopt(reduce(op, x, axes, out));
  }

  cumsum(x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean, out: OutputInfo): DataId {
    return this.adopt(cumsum(x, axis, exclusive, reverse, out));
  }

  topK(x: TensorInfo, k: number, values: OutputInfo, indices: OutputInfo): [DataId, DataId] {
    const [vs, is] = topK(x, k, values, indices);
    return [this.adopt(vs), this.adopt(is)];
  }

  // ---- layout --------------------------------------------------------------------------------

  transpose(x: TensorInfo, perm: readonly number[], out: OutputInfo): DataId {
    return this.adopt(transpose(x, perm, out));
  }

  stridedSlice(x: TensorInfo, begin: readonly number[], strides: readonly number[], out: OutputInfo): DataId {
    return this.adopt(stridedSlice(x, begin, strides, out));
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number, out: OutputInfo): DataId {
    return this.adopt(pad(x, paddings, value, out));
  }

  concat(xs: readonly TensorInfo[], axis: number, out: OutputInfo): DataId {
    return this.adopt(concat(xs, axis, out));
  }

  tile(x: TensorInfo, reps: readonly number[], out: OutputInfo): DataId {
    return this.adopt(tile(x, reps, out));
  }

  gather(x: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): DataId {
    return this.adopt(gather(x, indices, axis, out));
  }

  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): DataId {
    return this.adopt(scatterAdd(updates, indices, axis, out));
  }

  // ---- linear algebra ------------------------------------------------------------------------

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, out: OutputInfo): DataId {
    return this.register(matmul(a, b, transposeA, transposeB, out));
  }

  // ---- fast paths ----------------------------------------------------------------------------

  fusedMatmul(
    a: TensorInfo, b: TensorInfo, bias: TensorInfo | null, activation: FusedActivation,
    transposeA: boolean, transposeB: boolean, out: OutputInfo,
  ): DataId {
    return this.register(fusedMatmul(a, b, bias, activation, transposeA, transposeB, out));
  }

  conv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return this.register(conv2d(x, filter, attrs, out));
  }

  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return this.register(conv2dBackpropInput(dy, filter, attrs, out));
  }

  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return this.register(conv2dBackpropFilter(x, dy, attrs, out));
  }

  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return this.register(depthwiseConv2d(x, filter, attrs, out));
  }

  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return this.register(depthwiseConv2dBackpropInput(dy, filter, attrs, out));
  }

  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, attrs: Conv2DAttrs, out: OutputInfo): DataId {
    return this.register(depthwiseConv2dBackpropFilter(x, dy, attrs, out));
  }

  maxPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return this.register(maxPool(x, attrs, out));
  }

  maxPoolBackward(dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return this.register(maxPoolBackward(dy, x, attrs, out));
  }

  avgPool(x: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return this.register(avgPool(x, attrs, out));
  }

  avgPoolBackward(dy: TensorInfo, attrs: Pool2DAttrs, out: OutputInfo): DataId {
    return this.register(avgPoolBackward(dy, attrs, out));
  }

  softmax(x: TensorInfo, out: OutputInfo): DataId {
    return this.register(softmax(x, out));
  }

  logSoftmax(x: TensorInfo, out: OutputInfo): DataId {
    return this.register(logSoftmax(x, out));
  }

  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo, out: OutputInfo): DataId {
    return this.register(softmaxCrossEntropy(logits, labels, out));
  }

  /** Writes into the variable's and the slots' own arrays; their byte counts do not change. */
  optimizerUpdate(update: OptimizerUpdate, variable: TensorInfo, gradient: TensorInfo, slots: readonly TensorInfo[]): void {
    optimizerUpdate(update, variable, gradient, slots);
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  /** Wraps a freshly computed host array as a live buffer. */
  private adopt(values: HostArray): CpuData {
    return this.register(wrap(values));
  }

  /** Counts a kernel's output handle as live until `dispose`. */
  private register(data: CpuData): CpuData {
    this.live.add(data);
    this.liveBytes += data.values.byteLength;
    return data;
  }
}
