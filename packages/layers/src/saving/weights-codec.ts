import { StrataError, fmtShape, type Tensor } from '@strata/core';
import { SavedModelError } from './errors.js';
import type { WeightsManifestJson } from './manifest.js';

/**
 * The binary weights format of TF.js: each weight's values, row-major and little-endian, one after
 * the other in manifest order; a group's shard files, concatenated, hold its weights.
 */

/** The dtypes Strata reads and writes in weights files (4 bytes per element). */
export type WeightDType = 'float32' | 'int32';

/** One weight as the manifest describes it (TF.js's `WeightsManifestEntry`, no quantization). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** `'optimizer'` for optimizer state (TF.js's convention); absent for model weights. */
  group?: string;
}

/** A named tensor to write. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
  group?: string;
}

/** The most elements one weight may have (2 GiB of float32). */
export const MAX_WEIGHT_ELEMENTS = 2 ** 29;
/** The most bytes all the weights of one manifest may claim. */
export const MAX_TOTAL_WEIGHT_BYTES = 2 ** 36;

const BYTES_PER_ELEMENT: Readonly<Record<WeightDType, number>> = { float32: 4, int32: 4 };

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes weights for a manifest: their specs and their bytes, concatenated in order. Reads the
 * tensors (asynchronously); it does not dispose them.
 *
 * @example
 * const { specs, data } = await encodeWeights([{ name: 'dense/kernel', tensor: kernel }]);
 */
export async function encodeWeights(weights: readonly NamedTensor[]): Promise<{ specs: WeightSpec[]; data: Uint8Array }> {
  const seen = new Set<string>();
  for (const w of weights) {
    if (seen.has(w.name)) {
      throw new StrataError(`Saving weights: two weights are named '${w.name}'; names must be unique in a saved model. Give the layers unique names (layers are matched to weights by name when loading).`);
    }
    seen.add(w.name);
    if (w.tensor.dtype !== 'float32' && w.tensor.dtype !== 'int32') {
      throw new StrataError(`Saving weights: weight '${w.name}' has dtype ${w.tensor.dtype}; weights files hold float32 and int32 values. Make the weight float32 or int32.`);
    }
  }
  const values = await Promise.all(weights.map((w) => w.tensor.data()));
  const total = values.reduce((n, v) => n + v.length * 4, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  values.forEach((v) => {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.length * 4);
    if (littleEndian) data.set(bytes, offset);
    else swapInto(bytes, data, offset);
    offset += bytes.length;
  });
  const specs = weights.map((w): WeightSpec => {
    const spec: WeightSpec = { name: w.name, shape: [...w.tensor.shape], dtype: w.tensor.dtype as WeightDType };
    if (w.group !== undefined) spec.group = w.group;
    return spec;
  });
  return { specs, data };
}

/** Where one weight's bytes are: in group `group`, from `offset` (in the group's concatenated shards). */
export interface PlannedWeight {
  spec: WeightSpec;
  group: number;
  offset: number;
  byteLength: number;
  /** Key path of the spec in the manifest file, for messages. */
  where: string;
}

/** A checked manifest: per group, its shard paths and the bytes its weights need; every weight located. */
export interface WeightsPlan {
  groups: { paths: string[]; byteLength: number; where: string }[];
  weights: PlannedWeight[];
}

/**
 * Checks a manifest (already structurally valid, see manifest.ts) before anything is read or
 * allocated: dtypes Strata reads (quantized weights are refused), element counts within
 * `MAX_WEIGHT_ELEMENTS`, no duplicate names, byte totals within `MAX_TOTAL_WEIGHT_BYTES`, and files
 * for every group with weights. Returns where each weight's bytes are.
 *
 * @example
 * const plan = planWeights(json.weightsManifest, '/tmp/m/model.json', 'weightsManifest');
 */
export function planWeights(manifest: WeightsManifestJson, file: string, root: string): WeightsPlan {
  const fix = 'Re-save the model, or restore the file.';
  const seen = new Map<string, string>();
  const groups: WeightsPlan['groups'] = [];
  const weights: PlannedWeight[] = [];
  let total = 0;
  manifest.forEach((group, g) => {
    let offset = 0;
    group.weights.forEach((entry, i) => {
      const where = `${root}[${g}].weights[${i}]`;
      if (entry.quantization !== undefined && entry.quantization !== null) {
        throw new SavedModelError(file, `weight '${entry.name}' is quantized (${describeQuantization(entry.quantization)}), which Strata does not load`, {
          where: `${where}.quantization`,
          fix: 'Convert the model again without quantization (tensorflowjs_converter without --quantize_uint8 / --quantize_uint16 / --quantize_float16).',
        });
      }
      if (entry.dtype !== 'float32' && entry.dtype !== 'int32') {
        throw new SavedModelError(file, `weight '${entry.name}' has dtype ${JSON.stringify(entry.dtype)}; Strata loads float32 and int32 weights`, { where: `${where}.dtype`, fix });
      }
      let size = 1;
      for (const d of entry.shape) {
        size *= d;
        if (size > MAX_WEIGHT_ELEMENTS) {
          throw new SavedModelError(file, `weight '${entry.name}' claims shape ${fmtShape(entry.shape)}, more than the ${MAX_WEIGHT_ELEMENTS} elements one weight may have`, { where: `${where}.shape`, fix });
        }
      }
      const previous = seen.get(entry.name);
      if (previous !== undefined) {
        throw new SavedModelError(file, `weight '${entry.name}' is listed twice (also at ${previous})`, { where, fix });
      }
      seen.set(entry.name, where);
      const byteLength = size * BYTES_PER_ELEMENT[entry.dtype];
      total += byteLength;
      if (total > MAX_TOTAL_WEIGHT_BYTES) {
        throw new SavedModelError(file, `the weights claim more than ${MAX_TOTAL_WEIGHT_BYTES} bytes in all (at weight '${entry.name}')`, { where, fix });
      }
      const spec: WeightSpec = { name: entry.name, shape: [...entry.shape], dtype: entry.dtype };
      if (entry.group !== undefined) spec.group = entry.group;
      weights.push({ spec, group: g, offset, byteLength, where });
      offset += byteLength;
    });
    if (offset > 0 && group.paths.length === 0) {
      throw new SavedModelError(file, `group ${g} lists ${group.weights.length} weight(s) but no files to read them from`, { where: `${root}[${g}].paths`, fix });
    }
    groups.push({ paths: [...group.paths], byteLength: offset, where: `${root}[${g}]` });
  });
  return { groups, weights };
}

function describeQuantization(q: unknown): string {
  if (q !== null && typeof q === 'object' && typeof (q as { dtype?: unknown }).dtype === 'string') return `stored as ${(q as { dtype: string }).dtype}`;
  return 'with a quantization entry';
}

/**
 * The values of a planned weight, copied out of its group's shards (a weight may span two shards).
 * The caller has checked that the shards hold exactly the group's bytes.
 *
 * @example
 * const values = decodeWeight(plan.weights[0], shardsOfGroup0); // Float32Array
 */
export function decodeWeight(weight: PlannedWeight, shards: readonly Uint8Array[]): Float32Array | Int32Array {
  const bytes = new Uint8Array(weight.byteLength);
  let start = weight.offset;
  let written = 0;
  let shardStart = 0;
  for (const shard of shards) {
    const shardEnd = shardStart + shard.length;
    if (written < bytes.length && start < shardEnd) {
      const from = start - shardStart;
      const n = Math.min(shard.length - from, bytes.length - written);
      bytes.set(shard.subarray(from, from + n), written);
      written += n;
      start += n;
    }
    shardStart = shardEnd;
  }
  if (!littleEndian) swapInPlace(bytes);
  return weight.spec.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
}

/** Big-endian hosts: the file is little-endian, so each 4-byte element is reversed. */
function swapInto(src: Uint8Array, dst: Uint8Array, offset: number): void {
  for (let i = 0; i < src.length; i += 4) {
    dst[offset + i] = src[i + 3]!;
    dst[offset + i + 1] = src[i + 2]!;
    dst[offset + i + 2] = src[i + 1]!;
    dst[offset + i + 3] = src[i]!;
  }
}

function swapInPlace(bytes: Uint8Array): void {
  const copy = bytes.slice();
  swapInto(copy, bytes, 0);
}
