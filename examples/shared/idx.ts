// Reads IDX files (the MNIST / Fashion-MNIST format), gzipped or not, into Strata tensors.
//
// IDX layout (big-endian): bytes 0-1 are zero, byte 2 is the element type (0x08 unsigned byte,
// 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), byte 3 the number of
// dimensions, then one uint32 per dimension, then the elements in row-major order.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as st from 'strata';

/** Where Debian's `dataset-fashion-mnist` package puts the files. Override with FASHION_MNIST_DIR. */
export const FASHION_MNIST_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** An IDX file's error: names the file and the byte offset the problem was found at. */
export class IdxError extends Error {
  constructor(file: string, offset: number, message: string) {
    super(`${file}: at byte ${offset}: ${message}`);
    this.name = 'IdxError';
  }
}

const DTYPES: Record<number, { name: string; size: number }> = {
  0x08: { name: 'uint8', size: 1 },
  0x09: { name: 'int8', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
};

/** A parsed IDX file: its dims, the element type, and the elements as plain numbers in a typed array. */
export interface IdxData {
  dims: number[];
  dtype: string;
  values: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Parses IDX bytes (already gunzipped). `file` only names the source in errors. When `expect` is
 * given, the element type and number of dims must match it.
 */
export function parseIdx(bytes: Uint8Array, file: string, expect?: { dtype?: string; rank?: number }): IdxData {
  if (bytes.length < 4) throw new IdxError(file, bytes.length, `file is ${bytes.length} byte(s) long, too short for the 4-byte IDX magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(file, bytes[0] !== 0 ? 0 : 1, `bad IDX magic number 0x${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')}: the first two bytes must be zero (is this an IDX file?)`);
  }
  const type = DTYPES[bytes[2]!];
  if (!type) throw new IdxError(file, 2, `unknown IDX element type byte 0x${bytes[2]!.toString(16).padStart(2, '0')} (expected one of 08, 09, 0b, 0c, 0d, 0e)`);
  const rank = bytes[3]!;
  if (rank === 0) throw new IdxError(file, 3, 'IDX file declares 0 dimensions');
  if (expect?.dtype !== undefined && type.name !== expect.dtype) throw new IdxError(file, 2, `element type is ${type.name}, expected ${expect.dtype}`);
  if (expect?.rank !== undefined && rank !== expect.rank) throw new IdxError(file, 3, `file has ${rank} dimension(s), expected ${expect.rank}`);
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new IdxError(file, bytes.length, `file ends inside the header: ${rank} dims need ${header} header bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    if (d === 0) throw new IdxError(file, 4 + 4 * i, `dimension ${i} is 0`);
    dims.push(d);
    count *= d;
  }
  const expected = header + count * type.size;
  if (bytes.length !== expected) {
    throw new IdxError(file, Math.min(bytes.length, expected), `file is ${bytes.length} bytes but dims [${dims.join(', ')}] of ${type.name} need ${expected} (${header} header + ${count} x ${type.size}); ${bytes.length < expected ? 'truncated' : 'trailing bytes'}`);
  }
  let values: IdxData['values'];
  if (type.size === 1) {
    values = type.name === 'uint8' ? bytes.subarray(header, expected) : new Int8Array(bytes.buffer, bytes.byteOffset + header, count);
  } else {
    // Big-endian multi-byte elements: read one by one.
    const out = type.name === 'int16' ? new Int16Array(count) : type.name === 'int32' ? new Int32Array(count) : type.name === 'float32' ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0, o = header; i < count; i++, o += type.size) {
      out[i] = type.name === 'int16' ? view.getInt16(o) : type.name === 'int32' ? view.getInt32(o) : type.name === 'float32' ? view.getFloat32(o) : view.getFloat64(o);
    }
    values = out;
  }
  return { dims, dtype: type.name, values };
}

/** Reads an IDX file from disk, gunzipping it when it starts with the gzip magic (1f 8b). */
export function readIdxFile(path: string, expect?: { dtype?: string; rank?: number }): IdxData {
  const raw = readFileSync(path);
  let bytes: Uint8Array = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new IdxError(path, 0, `cannot gunzip: ${(e as Error).message}`);
    }
  }
  return parseIdx(bytes, path, expect);
}

/** Images `[n, rows, cols]` of uint8 as a float32 tensor scaled to [0, 1], shaped `[n, ...shape]` (default `[rows * cols]`). */
export function loadImages(path: string, options: { limit?: number; shape?: number[] } = {}): st.Tensor {
  const { dims, values } = readIdxFile(path, { dtype: 'uint8', rank: 3 });
  const [count, rows, cols] = dims as [number, number, number];
  const n = Math.min(count, options.limit ?? count);
  const size = rows * cols;
  const out = new Float32Array(n * size);
  for (let i = 0; i < out.length; i++) out[i] = values[i]! / 255;
  return st.tensor(out, [n, ...(options.shape ?? [size])], 'float32');
}

/** Labels `[n]` of uint8 as an int32 tensor `[n]`. */
export function loadLabels(path: string, options: { limit?: number } = {}): st.Tensor {
  const { dims, values } = readIdxFile(path, { dtype: 'uint8', rank: 1 });
  const n = Math.min(dims[0]!, options.limit ?? dims[0]!);
  return st.tensor(Int32Array.from(values.subarray(0, n)), [n], 'int32');
}

export interface FashionMnist {
  xTrain: st.Tensor;
  yTrain: st.Tensor;
  xTest: st.Tensor;
  yTest: st.Tensor;
}

/** True when every Fashion-MNIST file is present in `dir`. */
export function fashionMnistAvailable(dir = FASHION_MNIST_DIR): boolean {
  return Object.values(FASHION_MNIST_FILES).every((f) => existsSync(join(dir, f)));
}

/**
 * Loads Fashion-MNIST, or prints how to install it and exits with code 2 when it is missing.
 * `imageShape` is the per-sample shape (default `[784]`; `[28, 28, 1]` for convolutions).
 */
export function loadFashionMnist(options: { imageShape?: number[]; trainLimit?: number; testLimit?: number; dir?: string } = {}): FashionMnist {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  if (!fashionMnistAvailable(dir)) {
    const missing = Object.values(FASHION_MNIST_FILES).filter((f) => !existsSync(join(dir, f)));
    console.error(`Fashion-MNIST is not installed: missing ${missing.map((f) => join(dir, f)).join(', ')}.`);
    console.error('Install it with:  sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist');
    console.error('(Debian/Ubuntu), or put the four *-ubyte.gz files in a folder and set FASHION_MNIST_DIR to it.');
    process.exit(2);
  }
  const f = (name: string): string => join(dir, name);
  const shape = options.imageShape;
  const data = {
    xTrain: loadImages(f(FASHION_MNIST_FILES.trainImages), { limit: options.trainLimit, shape }),
    yTrain: loadLabels(f(FASHION_MNIST_FILES.trainLabels), { limit: options.trainLimit }),
    xTest: loadImages(f(FASHION_MNIST_FILES.testImages), { limit: options.testLimit, shape }),
    yTest: loadLabels(f(FASHION_MNIST_FILES.testLabels), { limit: options.testLimit }),
  };
  for (const [x, y, name] of [[data.xTrain, data.yTrain, 'train'], [data.xTest, data.yTest, 't10k']] as const) {
    if (x.shape[0] !== y.shape[0]) {
      st.dispose(Object.values(data));
      throw new Error(`Fashion-MNIST ${name}: ${x.shape[0]} images but ${y.shape[0]} labels in ${dir}`);
    }
  }
  return data;
}
