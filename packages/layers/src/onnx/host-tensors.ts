// Host-side rearrangements of weight values read from the engine: Keras stores kernels in the
// layouts TensorFlow's kernels want, ONNX operators want others (Conv's [out, in, kh, kw], LSTM's
// gate order i, o, f, c). These run once at export time, on plain arrays.

/** A weight's values on the host, row-major. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1]! * shape[i + 1]!;
  return out;
}

/**
 * `x` with its axes permuted (`out.shape[i] = x.shape[perm[i]]`).
 *
 * @example
 * transposeHost({ shape: [3, 3, 2, 8], data }, [3, 2, 0, 1]); // Keras conv kernel → ONNX [out, in, kh, kw]
 */
export function transposeHost(x: HostTensor, perm: readonly number[]): HostTensor {
  const shape = perm.map((p) => x.shape[p]!);
  const inStrides = strides(x.shape);
  const permStrides = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(x.data.length);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += index[k]! * permStrides[k]!;
    out[o] = x.data[src]!;
    for (let k = rank - 1; k >= 0; k--) {
      index[k]!++;
      if (index[k]! < shape[k]!) break;
      index[k] = 0;
    }
  }
  return { shape, data: out };
}

/**
 * `x` with a new shape of the same size (no data movement).
 *
 * @example
 * reshapeHost(bias, [1, 8]);
 */
export function reshapeHost(x: HostTensor, shape: readonly number[]): HostTensor {
  const size = shape.reduce((n, d) => n * d, 1);
  if (size !== x.data.length) throw new RangeError(`reshapeHost: ${x.data.length} values cannot take shape [${shape.join(', ')}]`);
  return { shape: [...shape], data: x.data };
}

/**
 * Reorders the `blocks.length` equal blocks of the last axis: output block `i` is input block
 * `blocks[i]` (recurrent gate reordering).
 *
 * @example
 * reorderBlocks(lstmKernel, [0, 3, 1, 2]); // Keras i, f, c, o → ONNX i, o, f, c
 */
export function reorderBlocks(x: HostTensor, blocks: readonly number[]): HostTensor {
  const last = x.shape[x.shape.length - 1]!;
  const size = last / blocks.length;
  const rows = x.data.length / last;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < rows; r++) {
    blocks.forEach((from, to) => {
      out.set(x.data.subarray(r * last + from * size, r * last + (from + 1) * size), r * last + to * size);
    });
  }
  return { shape: x.shape, data: out };
}

/**
 * Joins rank-1 tensors end to end.
 *
 * @example
 * concatHost([inputBias, recurrentBias]); // ONNX's B = [Wb, Rb]
 */
export function concatHost(parts: readonly HostTensor[]): HostTensor {
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p.data, at);
    at += p.data.length;
  }
  return { shape: [total], data: out };
}

/**
 * A tensor of one value.
 *
 * @example
 * filledHost([8], 0); // zeros for an absent recurrent bias
 */
export function filledHost(shape: readonly number[], value: number): HostTensor {
  return { shape: [...shape], data: new Float32Array(shape.reduce((n, d) => n * d, 1)).fill(value) };
}

/**
 * Rows `[start, start + count)` of the first axis.
 *
 * @example
 * rowsHost(gruBias, 1, 1); // the recurrent row of Keras's [2, 3·units] GRU bias
 */
export function rowsHost(x: HostTensor, start: number, count: number): HostTensor {
  const row = x.data.length / x.shape[0]!;
  return { shape: [count, ...x.shape.slice(1)], data: x.data.slice(start * row, (start + count) * row) };
}
