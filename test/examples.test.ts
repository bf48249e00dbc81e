// The training examples, run as users run them (`pnpm example <name>`), with their printed quality
// checked. Fashion-MNIST needs Debian's dataset-fashion-mnist package (installed by .ci/run); the
// test says why it skips when the files are missing. The CNN example is too slow for the suite and
// is checked by hand.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseIdx, readIdxFile } from '../examples/shared/idx.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FASHION_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const FASHION_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

function runExample(name: string, env: Record<string, string> = {}, timeout = 180_000): string {
  return execFileSync('node', ['scripts/run-example.mjs', name], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
}

function number(out: string, pattern: RegExp, what: string): number {
  const m = pattern.exec(out);
  expect(m, `${what} in the output:\n${out}`).to.not.equal(null);
  return Number(m![1]);
}

describe('training examples', function () {
  it('fashion-mnist-mlp reaches 80% test accuracy on the real 10k test set in one epoch', function () {
    this.timeout(200_000);
    const missing = FASHION_FILES.filter((f) => !existsSync(join(FASHION_DIR, f)));
    if (missing.length > 0) {
      console.log(`      skipped: Fashion-MNIST is not installed (missing ${missing.join(', ')} in ${FASHION_DIR}); apt-get install -y dataset-fashion-mnist`);
      this.skip();
    }
    const out = runExample('fashion-mnist-mlp', { EPOCHS: '1' }, 190_000);
    expect(out).to.contain('train: 60000 images, test: 10000 images');
    expect(out).to.match(/Epoch 1\/1 .*loss: [\d.]+ - accuracy: [\d.]+/);
    expect(number(out, /test accuracy: ([\d.]+)/, 'test accuracy')).to.be.at.least(0.8);
    expect(number(out, /seconds per epoch: ([\d.]+)/, 'seconds per epoch')).to.be.greaterThan(0);
    expect(out).to.contain('live tensors at exit: 0');
  });

  it('two-input trains a two-input functional model to 90% held-out accuracy', function () {
    this.timeout(60_000);
    const out = runExample('two-input');
    expect(number(out, /test accuracy before training: ([\d.]+)/, 'accuracy before')).to.be.below(0.75);
    expect(number(out, /test accuracy: ([\d.]+) \(loss/, 'test accuracy')).to.be.at.least(0.9);
    expect(out).to.contain('live tensors at exit: 0');
  });

  it('lstm-sequence learns the sign of a noisy sum (loss falls, accuracy >= 85%)', function () {
    this.timeout(90_000);
    const out = runExample('lstm-sequence');
    const before = number(out, /before training: loss ([\d.]+)/, 'loss before');
    const after = number(out, /after training: loss ([\d.]+)/, 'loss after');
    expect(before).to.be.above(0.6);
    expect(after).to.be.below(0.3);
    expect(after).to.be.below(before / 2);
    expect(number(out, /after training: loss [\d.]+, accuracy ([\d.]+)/, 'accuracy after')).to.be.at.least(0.85);
    expect(out).to.contain('live tensors at exit: 0');
  });

  it('a Fashion-MNIST example without the data set says how to install it and exits with 2', function () {
    this.timeout(60_000);
    let status = 0;
    let stderr = '';
    try {
      runExample('fashion-mnist-mlp', { FASHION_MNIST_DIR: join(root, 'examples', 'no-such-dir') });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      status = err.status;
      stderr = String(err.stderr);
    }
    expect(status).to.equal(2);
    expect(stderr).to.contain('apt-get install -y dataset-fashion-mnist');
  });
});

describe('examples/shared/idx.ts', () => {
  const header = (type: number, dims: number[]): number[] => [0, 0, type, dims.length, ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];

  it('reads uint8 and big-endian int32 files, gzipped or not', () => {
    const u8 = parseIdx(Uint8Array.from([...header(0x08, [2, 3]), 1, 2, 3, 4, 5, 255]), 'a.idx');
    expect(u8.dims).to.deep.equal([2, 3]);
    expect(u8.dtype).to.equal('uint8');
    expect([...u8.values]).to.deep.equal([1, 2, 3, 4, 5, 255]);
    const i32 = parseIdx(Uint8Array.from([...header(0x0c, [2]), 0, 0, 1, 0, 255, 255, 255, 254]), 'b.idx');
    expect([...i32.values]).to.deep.equal([256, -2]);
    const dir = join(root, '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'labels-idx1-ubyte.gz');
    writeFileSync(file, gzipSync(Uint8Array.from([...header(0x08, [3]), 7, 8, 9])));
    expect([...readIdxFile(file, { dtype: 'uint8', rank: 1 }).values]).to.deep.equal([7, 8, 9]);
  });

  it('names the file and byte offset of a bad magic number, dtype, rank or length', () => {
    expect(() => parseIdx(Uint8Array.from([0, 1, 8, 1, 0, 0, 0, 1, 5]), 'm.idx')).to.throw(/m\.idx: at byte 1: bad IDX magic number 0x00010801/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 7, 1, 0, 0, 0, 1, 5]), 't.idx')).to.throw(/t\.idx: at byte 2: unknown IDX element type byte 0x07/);
    expect(() => parseIdx(Uint8Array.from(header(0x08, [1, 1])).subarray(0, 9), 'h.idx')).to.throw(/h\.idx: at byte 9: file ends inside the header/);
    expect(() => parseIdx(Uint8Array.from([...header(0x08, [2, 2]), 1, 2, 3]), 'l.idx')).to.throw(/l\.idx: at byte 15: file is 15 bytes but dims \[2, 2\] of uint8 need 16 .*truncated/);
    expect(() => parseIdx(Uint8Array.from([...header(0x08, [1]), 1, 2]), 'x.idx')).to.throw(/x\.idx: at byte 9: .*trailing bytes/);
    expect(() => parseIdx(Uint8Array.from([...header(0x08, [2]), 1, 2]), 'r.idx', { rank: 3 })).to.throw(/r\.idx: at byte 3: file has 1 dimension\(s\), expected 3/);
    expect(() => parseIdx(Uint8Array.from([...header(0x0d, [1]), 0, 0, 0, 0]), 'd.idx', { dtype: 'uint8' })).to.throw(/d\.idx: at byte 2: element type is float32, expected uint8/);
  });
});
