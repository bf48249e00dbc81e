import { expect } from 'chai';
import { CpuEngine } from '@strata/engine-cpu';
import '../src/gradients/index.js';
import { tensor } from '../src/convert.js';
import { memory, hasEngine, runtime, setEngine } from '../src/runtime.js';
import { grad } from '../src/autograd.js';
import { matmul } from '../src/ops/matmul.js';
import { sum } from '../src/ops/reduce.js';
import { dispose } from '../src/memory.js';
import { add, mul, sub } from '../src/ops/binary.js';
import { exp, sin } from '../src/ops/unary.js';
import { activeTapes, noRecord, Tape } from '../src/tape.js';
import type { Tensor } from '../src/tensor.js';

/** Runs `fn` with a tape watching `watched`, returning the tape (still holding its entries). */
function record(watched: readonly Tensor[], fn: () => void): Tape {
  const tape = new Tape();
  for (const t of watched) tape.watched.add(t.id);
  activeTapes.push(tape);
  try {
    fn();
  } finally {
    activeTapes.splice(activeTapes.indexOf(tape), 1);
  }
  return tape;
}

describe('tape', () => {
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

  it('records only ops that depend on a watched tensor', () => {
    const x = tensor([1, 2]);
    const other = tensor([3, 4]);
    const created: Tensor[] = [];
    const tape = record([x], () => {
      created.push(exp(other)); // independent of x: not recorded
      const y = mul(x, 2); // recorded
      created.push(y, sin(y)); // depends on x through y: recorded
      created.push(add(other, other)); // independent again
    });
    expect(tape.entries.map((e) => e.op)).to.deep.equal(['mul', 'sin']);
    const [mulEntry, sinEntry] = tape.entries;
    expect(mulEntry!.inputIds[0]).to.equal(x.id);
    expect(sinEntry!.inputIds[0]).to.equal(mulEntry!.outputIds[0]);
    tape.release();
    dispose([x, other, ...created]);
  });

  it('records an op with one watched and one unwatched input, but not the unwatched side\'s casts', () => {
    const x = tensor([1.5]);
    const i = tensor([2], [1], 'int32');
    const created: Tensor[] = [];
    const tape = record([x], () => {
      // sub casts i to float32 first: that cast depends only on i, so it is not recorded.
      created.push(sub(x, i));
    });
    expect(tape.entries.map((e) => e.op)).to.deep.equal(['sub']);
    tape.release();
    dispose([x, i, ...created]);
  });

  it('records the casts of a watched int32 input', () => {
    const i = tensor([2], [1], 'int32');
    const half = tensor([0.5]);
    const created: Tensor[] = [half];
    const tape = record([i], () => {
      created.push(add(i, half));
    });
    expect(tape.entries.map((e) => e.op)).to.deep.equal(['cast', 'add']);
    tape.release();
    dispose([i, ...created]);
  });

  it('records nothing under noRecord, and resumes after it', () => {
    const x = tensor([1]);
    const created: Tensor[] = [];
    const tape = record([x], () => {
      created.push(noRecord(() => exp(x)));
      created.push(sin(x));
    });
    expect(tape.entries.map((e) => e.op)).to.deep.equal(['sin']);
    expect(tape.paused).to.equal(0);
    tape.release();
    dispose([x, ...created]);
  });

  it('records on every active tape that watches an input', () => {
    const x = tensor([1]);
    const y = tensor([2]);
    const created: Tensor[] = [];
    let inner: Tape | undefined;
    const outer = record([x], () => {
      inner = record([y], () => {
        created.push(exp(x), exp(y), mul(x, y));
      });
    });
    expect(outer.entries.map((e) => e.op)).to.deep.equal(['exp', 'mul']);
    expect(inner!.entries.map((e) => e.op)).to.deep.equal(['exp', 'mul']);
    expect(outer.entries[0]!.inputIds[0]).to.equal(x.id);
    expect(inner!.entries[0]!.inputIds[0]).to.equal(y.id);
    outer.release();
    inner!.release();
    dispose([x, y, ...created]);
  });

  it('holds its own handles on inputs and outputs until released', () => {
    const x = tensor([1, 2]);
    const before = memory();
    let y: Tensor | undefined;
    const tape = record([x], () => {
      y = exp(x);
    });
    // y, plus one saved view of x and one of y: views share buffers.
    expect(memory().numTensors - before.numTensors).to.equal(3);
    expect(memory().numDataBuffers - before.numDataBuffers).to.equal(1);
    x.dispose();
    y!.dispose();
    // The saved views keep both buffers alive for the backward pass.
    const saved = tape.entries[0]!;
    expect(Array.from(saved.inputs[0]!.dataSync())).to.deep.equal([1, 2]);
    expect(saved.outputs[0]!.isDisposed).to.equal(false);
    tape.release();
    expect(tape.entries).to.have.length(0);
    expect(memory().numDataBuffers).to.equal(before.numDataBuffers - 1);
  });

  it('marks which inputs lead back to a watched tensor, so gradients of the others are skipped', () => {
    const x = tensor([[1, 2]]);
    const w = tensor([[3], [4]]);
    const created: Tensor[] = [];
    const tape = record([w], () => created.push(matmul(x, w)));
    const product = tape.entries.find((e) => e.op === 'matmul')!;
    tape.release();
    expect(product.needsGrad).to.deep.equal([false, true]);
    dispose(created);
    dispose([x, w]);
  });

  it('runs no product for the gradient of an input nobody differentiates', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const w = tensor([[0.5], [-1]]);
    const engine = runtime.engine as { matmul: (...args: unknown[]) => unknown };
    const original = engine.matmul;
    let products = 0;
    engine.matmul = (...args: unknown[]) => {
      products++;
      return original.apply(engine, args);
    };
    try {
      // Forward, then only dW = x^T dy: the input's gradient dy w^T is never computed.
      const dw = grad((v: Tensor) => sum(matmul(x, v)))(w);
      expect(products).to.equal(2);
      expect(Array.from(dw.dataSync())).to.deep.equal([4, 6]);
      dw.dispose();
    } finally {
      engine.matmul = original;
    }
    dispose([x, w]);
  });
});
