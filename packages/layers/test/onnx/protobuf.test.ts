import { expect } from 'chai';
import * as ort from 'onnxruntime-node';
import { encodeModel, type OnnxModel } from '../../src/onnx/onnx-proto.js';
import { ProtoWriter, littleEndianBytes } from '../../src/onnx/protobuf.js';

// The protobuf encoder against bytes worked out by hand from the protobuf wire format, and a
// hand-built ONNX model that onnxruntime must load and run.

const bytes = (w: ProtoWriter): number[] => [...w.finish()];

describe('onnx protobuf encoder', () => {
  it('writes varints, including multi-byte ones and 64-bit values', () => {
    expect(bytes(new ProtoWriter().uint(1, 0))).to.deep.equal([0x08, 0x00]);
    expect(bytes(new ProtoWriter().uint(1, 300))).to.deep.equal([0x08, 0xac, 0x02]);
    expect(bytes(new ProtoWriter().uint(16, 1))).to.deep.equal([0x80, 0x01, 0x01]);
    expect(bytes(new ProtoWriter().uint(1, 2 ** 35))).to.deep.equal([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(bytes(new ProtoWriter().uint(1, 1n << 63n))).to.deep.equal([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  });

  it('writes negative int64 as ten-byte two\'s complement varints', () => {
    expect(bytes(new ProtoWriter().int(3, -1))).to.deep.equal([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytes(new ProtoWriter().int(3, -(1n << 63n)))).to.deep.equal([0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(bytes(new ProtoWriter().int(3, -2))).to.deep.equal([0x18, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('writes floats, strings, bytes, packed repeated fields and nested messages', () => {
    expect(bytes(new ProtoWriter().float(2, 1))).to.deep.equal([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect(bytes(new ProtoWriter().string(3, 'hé'))).to.deep.equal([0x1a, 0x03, 0x68, 0xc3, 0xa9]);
    expect(bytes(new ProtoWriter().packedInts(4, [1, 300, -1]))).to.deep.equal([0x22, 0x0d, 0x01, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytes(new ProtoWriter().packedFloats(7, [1, -2]))).to.deep.equal([0x3a, 0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    expect(bytes(new ProtoWriter().packedInts(4, []))).to.deep.equal([]);
    const child = new ProtoWriter().uint(1, 150).bytes(2, new Uint8Array([9, 8]));
    expect(bytes(new ProtoWriter().string(1, 'a').message(3, child).uint(4, 1))).to.deep.equal([0x0a, 0x01, 0x61, 0x1a, 0x07, 0x08, 0x96, 0x01, 0x12, 0x02, 0x09, 0x08, 0x20, 0x01]);
  });

  it('refuses values protobuf cannot hold', () => {
    expect(() => new ProtoWriter().uint(1, -1)).to.throw(RangeError, /out of range/);
    expect(() => new ProtoWriter().int(1, 0.5)).to.throw(RangeError, /must be an integer/);
  });

  it('gives little-endian bytes of typed arrays', () => {
    expect([...littleEndianBytes(new Float32Array([1]))]).to.deep.equal([0x00, 0x00, 0x80, 0x3f]);
    expect([...littleEndianBytes(new Int32Array([-2]))]).to.deep.equal([0xfe, 0xff, 0xff, 0xff]);
    expect([...littleEndianBytes(new BigInt64Array([258n]))]).to.deep.equal([0x02, 0x01, 0, 0, 0, 0, 0, 0]);
  });

  it('encodes a model onnxruntime loads and runs (y = x · 2 + 1 with a symbolic batch)', async () => {
    const m: OnnxModel = {
      irVersion: 8,
      opsetVersion: 17,
      producerName: 'test',
      producerVersion: '0',
      graph: {
        name: 'g',
        nodes: [
          { opType: 'Mul', name: 'mul', inputs: ['x', 'two'], outputs: ['t'], attributes: [] },
          { opType: 'Add', name: 'add', inputs: ['t', 'one'], outputs: ['y'], attributes: [] },
        ],
        initializers: [
          { name: 'two', dims: [], dataType: 'float32', data: new Float32Array([2]) },
          { name: 'one', dims: [3], dataType: 'float32', data: new Float32Array([1, 1, 1]) },
        ],
        inputs: [{ name: 'x', dataType: 'float32', shape: ['batch', 3] }],
        outputs: [{ name: 'y', dataType: 'float32', shape: ['batch', 3] }],
      },
    };
    const encoded = encodeModel(m);
    expect([...encoded.slice(0, 2)]).to.deep.equal([0x08, 0x08]);
    const session = await ort.InferenceSession.create(encoded);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([0, 1, 2, 3, 4, 5]), [2, 3]) });
    expect([...(out.y!.data as Float32Array)]).to.deep.equal([1, 3, 5, 7, 9, 11]);
    await session.release();
  });
});
