import { ProtoWriter, littleEndianBytes } from './protobuf.js';

// The ONNX messages Strata writes (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto), as plain objects, and their encoding with the field numbers of onnx.proto.

/** Element types Strata's exported graphs use. */
export type OnnxDataType = 'float32' | 'int32' | 'int64' | 'bool';

/** TensorProto.DataType codes. */
const DATA_TYPE_CODES: Record<OnnxDataType, number> = { float32: 1, int32: 6, int64: 7, bool: 9 };

/** A constant tensor (a graph initializer or a tensor attribute), row-major. */
export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  dataType: OnnxDataType;
  /** Float32Array for float32, Int32Array for int32, BigInt64Array for int64, Uint8Array (0/1) for bool. */
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

/** One node attribute, tagged with its ONNX attribute type. */
export type OnnxAttribute =
  | { name: string; type: 'int'; value: number | bigint }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'ints'; value: readonly (number | bigint)[] }
  | { name: string; type: 'floats'; value: readonly number[] }
  | { name: string; type: 'strings'; value: readonly string[] }
  | { name: string; type: 'tensor'; value: OnnxTensor };

/** AttributeProto.AttributeType codes. */
const ATTRIBUTE_TYPE_CODES: Record<OnnxAttribute['type'], number> = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 };

/** One operator call. */
export interface OnnxNode {
  opType: string;
  name: string;
  /** Value names; an empty string skips an optional input. */
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: readonly OnnxAttribute[];
}

/** A graph input or output: its name, element type and shape (a string names a symbolic dim). */
export interface OnnxValueInfo {
  name: string;
  dataType: OnnxDataType;
  shape: readonly (number | string)[];
}

/** A computation graph. */
export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  docString?: string;
}

/** A whole model file. */
export interface OnnxModel {
  irVersion: number;
  /** The default-domain opset the graph's operators bind to. */
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  graph: OnnxGraph;
  docString?: string;
}

/**
 * Encodes a model as the bytes of an `.onnx` file (a serialized ModelProto).
 *
 * @example
 * const bytes = encodeModel({ irVersion: 8, opsetVersion: 17, producerName: 'strata', producerVersion: '0.1.0', graph });
 */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, graphProto(model.graph));
  w.message(8, new ProtoWriter().string(1, '').int(2, model.opsetVersion));
  return w.finish();
}

function graphProto(graph: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.message(1, nodeProto(node));
  w.string(2, graph.name);
  for (const t of graph.initializers) w.message(5, tensorProto(t));
  if (graph.docString) w.string(10, graph.docString);
  for (const v of graph.inputs) w.message(11, valueInfoProto(v));
  for (const v of graph.outputs) w.message(12, valueInfoProto(v));
  return w;
}

function nodeProto(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const name of node.inputs) w.string(1, name);
  for (const name of node.outputs) w.string(2, name);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const a of node.attributes) w.message(5, attributeProto(a));
  return w;
}

function attributeProto(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, a.name);
  switch (a.type) {
    case 'float': w.float(2, a.value); break;
    case 'int': w.int(3, a.value); break;
    case 'string': w.string(4, a.value); break;
    case 'tensor': w.message(5, tensorProto(a.value)); break;
    case 'floats': w.packedFloats(7, a.value); break;
    case 'ints': w.packedInts(8, a.value); break;
    case 'strings': for (const s of a.value) w.string(9, s); break;
  }
  w.uint(20, ATTRIBUTE_TYPE_CODES[a.type]);
  return w;
}

function tensorProto(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims);
  w.uint(2, DATA_TYPE_CODES[t.dataType]);
  w.string(8, t.name);
  w.bytes(9, littleEndianBytes(t.data));
  return w;
}

function valueInfoProto(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'string') dim.string(2, d);
    else dim.int(1, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().uint(1, DATA_TYPE_CODES[v.dataType]).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}
