import type { DType, HostArray, OutputInfo, Shape, TensorInfo } from '@strata/engine-api';
import { hostArray, sizeOf } from '@strata/engine-api';
import { BufferPool } from './buffer-pool.js';
import type { GpuDevice } from './device.js';
import { GPU_ELEMENT_BYTES, GpuData } from './gpu-data.js';
import { PipelineCache } from './pipeline-cache.js';
import { packUniforms, type Program } from './program.js';

/**
 * Dispatches recorded before they are submitted together. Large enough to amortize the submit,
 * small enough that the GPU starts working while the host is still recording a long step.
 */
const DISPATCHES_PER_SUBMIT = 64;

/**
 * What kernels use to run programs: buffers (pooled), compiled pipelines (cached), and one command
 * encoder that records dispatches until something needs the results on the host.
 *
 * Ordering: every dispatch and copy goes through the same queue in program order, so a buffer
 * returned to the pool can be handed to the next kernel at once. The only host-side write,
 * `queue.writeBuffer`, jumps ahead of work still being recorded, so uploads submit what is
 * recorded first, and uniform buffers return to their pool only after the submit that reads them.
 *
 * @example
 * const [y] = runtime.run(program, [x], [{ shape: x.shape, dtype: 'float32' }]);
 */
export class GpuRuntime {
  readonly device: GPUDevice;
  readonly limits: GPUSupportedLimits;
  readonly description: string;
  /**
   * True on adapters that run WebGPU on the CPU (Mesa's llvmpipe or lavapipe, SwiftShader, WARP):
   * kernels may choose work shapes that suit SIMD CPU execution there (see kernels/matmul.ts).
   */
  readonly softwareAdapter: boolean;
  private readonly storage: BufferPool;
  private readonly uniformPool: BufferPool;
  private readonly pipelines: PipelineCache;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private recorded = 0;
  /** Uniform buffers read by recorded, not yet submitted work. */
  private pendingUniforms: GPUBuffer[] = [];
  private readonly live = new Set<GpuData>();
  private liveBytes = 0;
  /** Validation or out-of-memory errors Dawn or the browser reported since the last read. */
  private readonly errors: string[] = [];

  constructor(gpu: GpuDevice) {
    this.device = gpu.device;
    this.limits = gpu.device.limits;
    this.description = gpu.description;
    this.softwareAdapter = gpu.software;
    this.storage = new BufferPool(this.device, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    this.uniformPool = new BufferPool(this.device, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, 16 * 1024 * 1024);
    this.pipelines = new PipelineCache(this.device);
    this.device.addEventListener('uncapturederror', (event) => {
      this.errors.push((event as GPUUncapturedErrorEvent).error.message);
    });
  }

  // ---- buffers ---------------------------------------------------------------------------------

  /**
   * A fresh, live buffer for an output (contents undefined until a kernel writes it).
   *
   * @example
   * const y = runtime.allocate({ shape: [2, 3], dtype: 'float32' });
   */
  allocate(out: OutputInfo): GpuData {
    const size = sizeOf(out.shape);
    const data = new GpuData(this.storage.acquire(size * GPU_ELEMENT_BYTES), size, out.dtype);
    this.live.add(data);
    this.liveBytes += data.buffer.size;
    return data;
  }

  /**
   * Copies host values into a new buffer; bool and int32 are widened to 32 bits.
   *
   * @example
   * const x = runtime.upload(new Float32Array([1, 2]), [2], 'float32');
   */
  upload(values: HostArray, shape: Shape, dtype: DType): GpuData {
    const data = this.allocate({ shape, dtype });
    if (data.size === 0) return data;
    const words = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values, (v) => (dtype === 'bool' ? (v !== 0 ? 1 : 0) : v));
    // The pooled buffer may still be read by recorded work; writeBuffer would overtake it.
    this.submit();
    this.device.queue.writeBuffer(data.buffer, 0, words.buffer, words.byteOffset, words.byteLength);
    return data;
  }

  /**
   * Resolves to a host copy of a buffer once the work that writes it has run.
   *
   * @example
   * const values = await runtime.read(x);
   */
  async read(x: TensorInfo): Promise<HostArray> {
    const data = x.dataId as GpuData;
    const out = hostArray(x.dtype, data.size);
    if (data.size === 0) return out;
    const bytes = data.size * GPU_ELEMENT_BYTES;
    const staging = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      this.endPass();
      this.encoderOf().copyBufferToBuffer(data.buffer, 0, staging, 0, bytes);
      this.submit();
      await staging.mapAsync(GPUMapMode.READ);
      const mapped = staging.getMappedRange();
      if (x.dtype === 'float32') out.set(new Float32Array(mapped));
      else out.set(new Int32Array(mapped));
      staging.unmap();
    } finally {
      staging.destroy();
    }
    this.throwReportedErrors();
    return out;
  }

  /**
   * Returns a buffer to the pool. Later kernels may reuse it at once (see the class comment).
   *
   * @example
   * runtime.release(x);
   */
  release(data: GpuData): void {
    if (!this.live.delete(data)) return;
    this.liveBytes -= data.buffer.size;
    this.storage.release(data.buffer);
  }

  /** Live buffers and their bytes on the GPU. */
  memory(): { numBuffers: number; numBytes: number } {
    return { numBuffers: this.live.size, numBytes: this.liveBytes };
  }

  // ---- programs --------------------------------------------------------------------------------

  /**
   * Records one dispatch of `program` reading `inputs` and writing new buffers for `outputs`.
   *
   * @example
   * const [y] = runtime.run(program, [x], [{ shape: x.shape, dtype: x.dtype }]);
   */
  run(program: Program, inputs: readonly TensorInfo[], outputs: readonly OutputInfo[]): GpuData[] {
    const results = outputs.map((o) => this.allocate(o));
    if (results.every((r) => r.size === 0)) return results;
    this.dispatch(program, inputs.map((t) => t.dataId as GpuData), results);
    return results;
  }

  /**
   * Records one dispatch that writes into existing buffers (in-place optimizer updates). The
   * caller guarantees nothing else shares `targets`.
   *
   * @example
   * runtime.runInPlace(adamProgram, [gradient], [variable, m, v]);
   */
  runInPlace(program: Program, inputs: readonly TensorInfo[], targets: readonly TensorInfo[]): void {
    const data = targets.map((t) => t.dataId as GpuData);
    if (data.every((d) => d.size === 0)) return;
    this.dispatch(program, inputs.map((t) => t.dataId as GpuData), data);
  }

  private dispatch(program: Program, inputs: readonly GpuData[], outputs: readonly GpuData[]): void {
    const uniforms = program.uniforms ?? [];
    const pipeline = this.pipelines.get(program, inputs.map((d) => d.dtype), outputs.map((d) => d.dtype), uniforms);
    const entries: GPUBindGroupEntry[] = [...inputs, ...outputs].map((d, binding) => ({ binding, resource: { buffer: d.buffer } }));
    if (uniforms.length > 0) {
      const packed = packUniforms(uniforms);
      const buffer = this.uniformPool.acquire(packed.byteLength);
      this.device.queue.writeBuffer(buffer, 0, packed);
      this.pendingUniforms.push(buffer);
      entries.push({ binding: entries.length, resource: { buffer, size: packed.byteLength } });
    }
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.passOf();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y = 1, z = 1] = program.workgroups;
    pass.dispatchWorkgroups(x, y, z);
    if (++this.recorded >= DISPATCHES_PER_SUBMIT) this.submit();
  }

  // ---- recording -------------------------------------------------------------------------------

  private encoderOf(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  private passOf(): GPUComputePassEncoder {
    this.pass ??= this.encoderOf().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  /**
   * Submits everything recorded so far. Called before reads and uploads and every
   * `DISPATCHES_PER_SUBMIT` dispatches.
   *
   * @example
   * runtime.submit();
   */
  submit(): void {
    if (!this.encoder) return;
    this.endPass();
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.recorded = 0;
    // Later writeBuffer calls are queued after this submit, so the buffers may be rewritten now.
    for (const b of this.pendingUniforms) this.uniformPool.release(b);
    this.pendingUniforms = [];
  }

  private throwReportedErrors(): void {
    if (this.errors.length === 0) return;
    const messages = this.errors.splice(0);
    throw new Error(`webgpu engine: the GPU reported ${messages.length} error(s): ${messages.join(' | ')}`);
  }

  /**
   * Waits for submitted work, then frees every live and pooled buffer and forgets pipelines.
   *
   * @example
   * await runtime.close();
   */
  close(): void {
    this.submit();
    for (const data of this.live) data.buffer.destroy();
    this.live.clear();
    this.liveBytes = 0;
    this.storage.clear();
    this.uniformPool.clear();
    this.pipelines.clear();
  }
}
