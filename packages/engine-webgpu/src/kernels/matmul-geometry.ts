/**
 * One batched product as the matmul programs see it: `out[t] = op(a[t]) @ op(b[t])` for
 * `t < batch`, `op` a transpose or not, with `a` and `b` read from bindings `in0` and `in1`.
 * Strides are in elements; a batch stride of 0 broadcasts that operand.
 */
export interface MatmulGeometry {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly aBatchStride: number;
  readonly bBatchStride: number;
  /** True when `a` and `b` hold int32 (stored as i32): the shaders convert on load. */
  readonly aInt: boolean;
  readonly bInt: boolean;
}

/**
 * Replaces the scalar declaration of a storage binding with a vec4 one, for programs that read or
 * write four aligned elements at a time. Pooled buffers are whole multiples of 256 bytes and every
 * tensor starts at offset 0, so the vec4 view covers the tensor.
 *
 * @example
 * vec4Binding(header, 'in0'); // '... var<storage, read> in0: array<vec4<f32>>; ...'
 */
export function vec4Binding(header: string, name: string): string {
  const pattern = new RegExp(`(var<storage, (?:read|read_write)> ${name}: array<)(f32|i32)>`);
  if (!pattern.test(header)) throw new Error(`webgpu engine: matmul could not find the binding ${name} in the program header`);
  return header.replace(pattern, '$1vec4<$2>>');
}
