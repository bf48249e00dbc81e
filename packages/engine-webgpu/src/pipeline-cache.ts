import type { DType } from '@strata/engine-api';
import { bindingDeclarations, type Program, type Uniform } from './program.js';

/**
 * Compiled compute pipelines by program key (plus the dtypes of the bindings and the uniform
 * layout, which the generated header depends on). Compiling WGSL costs milliseconds; a training
 * step reuses the same few dozen pipelines.
 *
 * @example
 * const pipeline = cache.get(program, ['float32'], ['float32'], program.uniforms ?? []);
 */
export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, GPUPipelineLayout>();

  constructor(private readonly device: GPUDevice) {}

  get(program: Program, inputs: readonly DType[], outputs: readonly DType[], uniforms: readonly Uniform[]): GPUComputePipeline {
    const key = `${program.key}|${inputs.map(short).join('')}>${outputs.map(short).join('')}|${uniforms.map(([n, t]) => `${n}:${t}`).join(',')}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      const code = program.source(bindingDeclarations(inputs, outputs, uniforms));
      const module = this.device.createShaderModule({ code, label: program.key });
      pipeline = this.device.createComputePipeline({ layout: this.layoutOf(inputs.length, outputs.length, uniforms.length > 0), compute: { module, entryPoint: 'main' }, label: program.key });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /**
   * An explicit layout (not `'auto'`), so a binding the shader happens not to read is still valid
   * and every program binds the same way.
   */
  private layoutOf(inputs: number, outputs: number, hasUniforms: boolean): GPUPipelineLayout {
    const entries: GPUBindGroupLayoutEntry[] = [];
    for (let i = 0; i < inputs; i++) entries.push({ binding: entries.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } });
    for (let i = 0; i < outputs; i++) entries.push({ binding: entries.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } });
    if (hasUniforms) entries.push({ binding: entries.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
    const key = `${inputs}/${outputs}/${hasUniforms}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = this.device.createPipelineLayout({ bindGroupLayouts: [this.device.createBindGroupLayout({ entries })] });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  clear(): void {
    this.pipelines.clear();
    this.layouts.clear();
  }
}

/** f for float32, i for int32, b for bool: a bool binding is an i32 array like int32, but key apart for clarity. */
function short(dtype: DType): string {
  return dtype === 'float32' ? 'f' : dtype === 'int32' ? 'i' : 'b';
}
