import { expect } from 'chai';
import { CpuEngine } from '@strata/engine-cpu';
import { convert, convertPair, makeTensor } from '../src/convert.js';
import { hasEngine, memory, setEngine } from '../src/runtime.js';
import { dispose } from '../src/memory.js';
import { Tensor } from '../src/tensor.js';
import { OpError } from '../src/util/errors.js';

describe('convert', () => {
  before(() => {
    if (!hasEngine()) setEngine(new CpuEngine());
  });

  let baseline = 0;
  beforeEach(() => {
    baseline = memory().numTensors;
  });
  afterEach(() => {
    expect(memory().numTensors, 'tensors left alive by the test').to.equal(baseline);
  });

  describe('inference', () => {
    const cases: [string, unknown, number[], string][] = [
      ['a number', 2.5, [], 'float32'],
      ['a boolean', false, [], 'bool'],
      ['a flat array', [1, 2, 3], [3], 'float32'],
      ['nested arrays', [[1, 2], [3, 4], [5, 6]], [3, 2], 'float32'],
      ['nested booleans', [[true], [false]], [2, 1], 'bool'],
      ['an empty array', [], [0], 'float32'],
      ['empty rows', [[], [], []], [3, 0], 'float32'],
      ['a Float32Array', new Float32Array(4), [4], 'float32'],
      ['an Int32Array', new Int32Array(2), [2], 'int32'],
      ['a Uint8Array', new Uint8Array(3), [3], 'bool'],
    ];
    for (const [label, values, shape, dtype] of cases) {
      it(`infers shape ${JSON.stringify(shape)} and dtype ${dtype} from ${label}`, () => {
        const t = convert(values as never, 'x', 'testOp');
        expect([...t.shape]).to.deep.equal(shape);
        expect(t.dtype).to.equal(dtype);
        t.dispose();
      });
    }

    it('reads values in row-major order', () => {
      const t = convert([[[1, 2]], [[3, 4]]], 'x', 'testOp');
      expect(Array.from(t.dataSync())).to.deep.equal([1, 2, 3, 4]);
      t.dispose();
    });
  });

  describe('dtype hints', () => {
    it('gives a plain number the hinted dtype', () => {
      const t = convert(3, 'x', 'testOp', 'int32');
      expect(t.dtype).to.equal('int32');
      t.dispose();
    });

    it('does not turn a number into a bool, nor apply the hint to arrays', () => {
      const n = convert(3, 'x', 'testOp', 'bool');
      expect(n.dtype).to.equal('float32');
      const a = convert([1, 2], 'x', 'testOp', 'int32');
      expect(a.dtype).to.equal('float32');
      dispose([n, a]);
    });

    it('convertPair gives a number the other operand dtype, on either side', () => {
      const i = convert(new Int32Array([1, 2]), 'x', 'testOp');
      const [a, b] = convertPair(i, 1, 'add');
      expect(a).to.equal(i);
      expect(b.dtype).to.equal('int32');
      const [c, d] = convertPair(1, i, 'add');
      expect(c.dtype).to.equal('int32');
      expect(d).to.equal(i);
      const [e, f] = convertPair(1, 2, 'add');
      expect([e.dtype, f.dtype]).to.deep.equal(['float32', 'float32']);
      dispose([i, b, c, e, f]);
    });
  });

  describe('tensors pass through', () => {
    it('returns a live tensor itself', () => {
      const t = convert([1], 'x', 'testOp');
      expect(convert(t, 'x', 'testOp')).to.equal(t);
      expect(t).to.be.instanceOf(Tensor);
      t.dispose();
    });

    it('refuses a disposed tensor, naming op and argument', () => {
      const t = convert([1], 'x', 'testOp');
      t.dispose();
      expect(() => convert(t, 'weights', 'dense')).to.throw(OpError, "dense: argument 'weights' must be a live tensor (it was disposed)");
    });

    it('refuses null and undefined', () => {
      expect(() => convert(null as never, 'x', 'exp')).to.throw(OpError, "exp: argument 'x' must be a Tensor, a number, or an array of numbers; received null.");
      expect(() => convert(undefined as never, 'y', 'exp')).to.throw(OpError, 'received undefined');
    });
  });

  describe('makeTensor errors', () => {
    it('names the path of a ragged array', () => {
      expect(() => makeTensor('stack', 'tensors', [[1, 2], [3, 4], [5]], undefined)).to.throw(OpError, 'length 1 at tensors[2]');
      expect(() => makeTensor('tensor', 'values', [[[1, 2]], [[3, 4], [5, 6]]])).to.throw(OpError, 'length 2 at values[1]');
      expect(() => makeTensor('tensor', 'values', [1, [2]] as never)).to.throw(OpError, 'a nested array deeper at values[1]');
    });

    it('refuses non-numeric leaves', () => {
      expect(() => makeTensor('tensor', 'values', [1, 'two'] as never)).to.throw(OpError, 'string at flat index 1');
      expect(() => makeTensor('tensor', 'values', [{}] as never)).to.throw(OpError, 'object at flat index 0');
    });

    it('refuses a shape that does not hold the values, except a single value that fills it', () => {
      expect(() => makeTensor('tensor', 'values', [1, 2, 3], [2, 2])).to.throw(OpError, 'must have as many elements (4) as the values given (3)');
      const filled = makeTensor('tensor', 'values', [4], [2, 3]);
      expect(Array.from(filled.dataSync())).to.deep.equal([4, 4, 4, 4, 4, 4]);
      filled.dispose();
    });

    it('refuses a Tensor as plain values and an unknown dtype', () => {
      const t = convert([1], 'x', 'testOp');
      expect(() => makeTensor('tensor', 'values', t)).to.throw(OpError, 'received a Tensor');
      expect(() => makeTensor('tensor', 'values', [1], undefined, 'uint8' as never)).to.throw(OpError, "argument 'dtype'");
      t.dispose();
    });
  });
});
