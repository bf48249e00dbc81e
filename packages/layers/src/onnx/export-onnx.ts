import { StrataError, type Variable } from '@strata/core';
import { nodeFiles } from '../callbacks/node-files.js';
import { LayersModel } from '../engine/model.js';
import { buildOnnxGraph } from './convert-model.js';
import { OnnxExportError } from './errors.js';
import { encodeModel } from './onnx-proto.js';

/** The ONNX operator set the exported graphs use (LayerNormalization needs 17). */
export const ONNX_OPSET = 17;

/** The ONNX IR version written (the one that goes with opset 17). */
export const ONNX_IR_VERSION = 8;

/** Options of `exportOnnx` and `modelToOnnx`. */
export interface ExportOnnxOptions {
  /** The graph's name in the file (default: the model's name). */
  graphName?: string;
  /** Free text stored as the model's `doc_string`. */
  docString?: string;
}

/**
 * The model as the bytes of an ONNX file (opset 17, IR version 8), without writing anything:
 * for browsers, or to send the file elsewhere. Inputs and outputs keep the model's input and output
 * names; the batch dimension is symbolic (`batch`), so one file runs any batch size. Layers run in
 * inference mode (dropout off, moving statistics). Throws an `OnnxExportError` naming the first
 * layer that has no ONNX form, and listing the layers that have one.
 *
 * @example
 * const bytes = await modelToOnnx(model);
 * const session = await ort.InferenceSession.create(bytes);
 */
export async function modelToOnnx(model: LayersModel, options: ExportOnnxOptions = {}): Promise<Uint8Array> {
  if (!(model instanceof LayersModel)) {
    throw new OnnxExportError(`expected a model (sequential() or model()); received ${model === null ? 'null' : typeof model === 'object' ? String((model as object).constructor?.name ?? 'an object') : typeof model}. Pass the model itself`);
  }
  const graph = buildOnnxGraph(model, await readWeights(model), options.graphName ?? model.name);
  return encodeModel({
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET,
    producerName: 'strata',
    producerVersion: '0.1.0',
    graph,
    docString: options.docString,
  });
}

/**
 * Writes the model as an ONNX file at `filePath` (directories are created). The write is atomic:
 * the bytes go to a temporary file beside it, renamed over `filePath` only once complete, so a
 * failed export never leaves a half-written or damaged file. Node only; in browsers use
 * {@link modelToOnnx}.
 *
 * Exports Dense, Conv1D/Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, the pooling
 * layers, BatchNormalization, LayerNormalization, the activations and activation layers, Dropout
 * and the noise layers (identity), Flatten, Reshape, Permute, RepeatVector, Embedding, SimpleRNN,
 * LSTM, GRU, Bidirectional, the merge layers, and the spatial padding, cropping and upsampling
 * layers, in Sequential and Functional models (several inputs and outputs, shared layers, nested
 * models). Strata's channels-last tensors meet ONNX's channels-first convolutions through
 * Transposes placed only where a run of convolution-friendly layers starts and ends.
 *
 * @example
 * await exportOnnx(model, 'out/model.onnx');
 * // Python: onnxruntime.InferenceSession('out/model.onnx').run(None, { 'input_1': x })
 */
export async function exportOnnx(model: LayersModel, filePath: string, options: ExportOnnxOptions = {}): Promise<void> {
  if (typeof filePath !== 'string' || filePath.length === 0) {
    throw new OnnxExportError(`filePath must be a non-empty string such as 'model.onnx'; received ${typeof filePath === 'string' ? 'an empty string' : typeof filePath}`);
  }
  const bytes = await modelToOnnx(model, options);
  await writeBytesAtomic(filePath, bytes);
}

/**
 * Every weight's values, read from the engine once, before conversion (the only reads of the
 * export; converting is synchronous).
 *
 * @example
 * const graph = buildOnnxGraph(model, await readWeights(model), model.name);
 */
export async function readWeights(model: LayersModel): Promise<Map<Variable, Float32Array>> {
  const out = new Map<Variable, Float32Array>();
  for (const { variable } of model.weightEntries) {
    if (out.has(variable)) continue;
    const data = await variable.data();
    out.set(variable, data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>));
  }
  return out;
}

/** Writes `bytes` to a temporary file beside `file`, then renames it over `file`. */
async function writeBytesAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const { fs, path } = await nodeFiles('exportOnnx');
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    const err = e as NodeJS.ErrnoException;
    throw new StrataError(`exportOnnx: cannot write '${file}' (${err.code ?? err.message}); give a file path whose directory can be created and written, not an existing directory. Nothing was written.`);
  }
}
