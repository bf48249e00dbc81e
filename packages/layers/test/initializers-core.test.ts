import { expect } from 'chai';
import { getSeed, memory, normal, setSeed, truncatedNormal, uniform, type Tensor } from '@strata/core';
import {
  Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, IdentityInitializer, Initializer, LecunNormal, LecunUniform, Ones,
  Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, Zeros, computeFans, getInitializer,
  initializerRegistry, initializers,
} from '../src/initializers/index.js';

async function read(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data(), Number);
  t.dispose();
  return v;
}

function stats(v: readonly number[]): { mean: number; variance: number; maxAbs: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let q = 0;
  let maxAbs = 0;
  for (const x of v) {
    q += (x - mean) ** 2;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  return { mean, variance: q / v.length, maxAbs };
}

/** Keras's fans, restated here so the tests do not trust the code under test. */
function fans(shape: number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const rf = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return [shape[shape.length - 2] * rf, shape[shape.length - 1] * rf];
}

describe('initializers: constant family', () => {
  it('Zeros, Ones and Constant fill exactly, in the requested dtype', async () => {
    const z = new Zeros().apply([2, 3]);
    expect(z.shape).to.deep.equal([2, 3]);
    expect(z.dtype).to.equal('float32');
    expect(await read(z)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    const o = new Ones().apply([4], 'int32');
    expect(o.dtype).to.equal('int32');
    expect(await read(o)).to.deep.equal([1, 1, 1, 1]);
    const b = new Ones().apply([2], 'bool');
    expect(b.dtype).to.equal('bool');
    expect(await read(b)).to.deep.equal([1, 1]);
    const c = new Constant({ value: 0.25 }).apply([2, 2]);
    expect(await read(c)).to.deep.equal([0.25, 0.25, 0.25, 0.25]);
    expect(await read(new Constant().apply([3]))).to.deep.equal([0, 0, 0]);
    expect(await read(new Constant({ value: -3 }).apply([2], 'int32'))).to.deep.equal([-3, -3]);
    const s = new Constant({ value: 7 }).apply([]);
    expect(s.shape).to.deep.equal([]);
    expect(await read(s)).to.deep.equal([7]);
  });

  it('IdentityInitializer gives gain on the diagonal of square and non-square matrices', async () => {
    expect(await read(new IdentityInitializer().apply([3, 3]))).to.deep.equal([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(await read(new IdentityInitializer({ gain: 2.5 }).apply([2, 3]))).to.deep.equal([2.5, 0, 0, 0, 2.5, 0]);
    // Normalise -0 (gain × 0, as in Keras) for the comparison.
    expect((await read(new IdentityInitializer({ gain: -1 }).apply([3, 2]))).map((x) => x + 0)).to.deep.equal([-1, 0, 0, -1, 0, 0]);
    const i = new IdentityInitializer({ gain: 3 }).apply([2, 2], 'int32');
    expect(i.dtype).to.equal('int32');
    expect(await read(i)).to.deep.equal([3, 0, 0, 3]);
    expect(new IdentityInitializer().className).to.equal('Identity');
  });

  it('IdentityInitializer rejects other ranks, naming the shape and the fix', () => {
    expect(() => new IdentityInitializer().apply([3, 3, 3])).to.throw(/Identity\.apply: argument 'shape' must be 2-D \[rows, columns\]; received \[3, 3, 3\] of rank 3\. Use Orthogonal/);
    expect(() => new IdentityInitializer().apply([4])).to.throw(/received \[4\] of rank 1/);
  });
});

describe('initializers: fans', () => {
  it('computeFans follows Keras for every rank', () => {
    expect(computeFans([])).to.deep.equal([1, 1]);
    expect(computeFans([7])).to.deep.equal([7, 7]);
    expect(computeFans([5, 9])).to.deep.equal([5, 9]);
    expect(computeFans([3, 16, 32])).to.deep.equal([48, 96]);
    expect(computeFans([3, 3, 16, 32])).to.deep.equal([144, 288]);
    expect(computeFans([2, 3, 3, 4, 8])).to.deep.equal([72, 144]);
  });
});

describe('initializers: random distributions', () => {
  it('RandomUniform, RandomNormal and TruncatedNormal have Keras defaults and the requested spread', async () => {
    const u = stats(await read(new RandomUniform({ seed: 1 }).apply([200, 300])));
    expect(u.maxAbs).to.be.at.most(0.05);
    expect(u.variance).to.be.closeTo(0.1 ** 2 / 12, 0.03 * 0.1 ** 2 / 12);
    const n = stats(await read(new RandomNormal({ seed: 2 }).apply([200, 300])));
    expect(n.mean).to.be.closeTo(0, 4 * 0.05 / Math.sqrt(60000));
    expect(n.variance).to.be.closeTo(0.0025, 0.03 * 0.0025);
    const shifted = stats(await read(new RandomNormal({ mean: 3, stddev: 0.5, seed: 3 }).apply([60000])));
    expect(shifted.mean).to.be.closeTo(3, 4 * 0.5 / Math.sqrt(60000));
    expect(shifted.variance).to.be.closeTo(0.25, 0.03 * 0.25);
    // Truncation at two standard deviations leaves variance 0.7737 stddev² (not corrected here, as in Keras).
    const t = stats(await read(new TruncatedNormal({ stddev: 0.5, seed: 4 }).apply([60000])));
    expect(t.maxAbs).to.be.at.most(1 + 1e-6);
    expect(t.variance).to.be.closeTo(0.25 * 0.7737413, 0.03 * 0.25);
  });

  it('a seeded initializer repeats its values and matches core with that seed', async () => {
    const a = await read(new RandomUniform({ minval: -2, maxval: 3, seed: 11 }).apply([5, 4]));
    const init = new RandomUniform({ minval: -2, maxval: 3, seed: 11 });
    expect(await read(init.apply([5, 4]))).to.deep.equal(a);
    expect(await read(init.apply([5, 4]))).to.deep.equal(a);
    expect(await read(uniform([5, 4], -2, 3, { seed: 11 }))).to.deep.equal(a);
    expect(await read(new RandomNormal({ mean: 1, stddev: 2, seed: 5 }).apply([6]))).to.deep.equal(await read(normal([6], 1, 2, { seed: 5 })));
    expect(await read(new TruncatedNormal({ stddev: 2, seed: 5 }).apply([6]))).to.deep.equal(await read(truncatedNormal([6], 0, 2, { seed: 5 })));
    expect(await read(new RandomUniform({ seed: 12 }).apply([20]))).to.not.deep.equal(await read(new RandomUniform({ seed: 13 }).apply([20])));
  });

  it('without a seed each call draws anew, and setSeed replays the sequence', async () => {
    const saved = getSeed();
    try {
      const init = new GlorotUniform();
      setSeed(99);
      const first = await read(init.apply([8, 8]));
      const second = await read(init.apply([8, 8]));
      expect(first).to.not.deep.equal(second);
      setSeed(99);
      expect(await read(init.apply([8, 8]))).to.deep.equal(first);
      expect(await read(init.apply([8, 8]))).to.deep.equal(second);
    } finally {
      setSeed(saved);
    }
  });
});

describe('initializers: variance scaling', () => {
  const shapes: number[][] = [[400, 200], [3, 3, 40, 60], [25, 40, 80]];
  const modes = ['fanIn', 'fanOut', 'fanAvg'] as const;
  const distributions = ['truncatedNormal', 'untruncatedNormal', 'normal', 'uniform'] as const;

  for (const shape of shapes) {
    for (const mode of modes) {
      for (const distribution of distributions) {
        it(`${distribution}, ${mode}, shape [${shape.join(', ')}]: variance scale / n, within its bounds`, async () => {
          const scale = 1.7;
          const [fi, fo] = fans(shape);
          const n = mode === 'fanIn' ? fi : mode === 'fanOut' ? fo : (fi + fo) / 2;
          const target = scale / n;
          const v = await read(new VarianceScaling({ scale, mode, distribution, seed: 21 }).apply(shape));
          expect(v.length).to.equal(shape.reduce((p, d) => p * d, 1));
          const s = stats(v);
          expect(s.mean).to.be.closeTo(0, 5 * Math.sqrt(target / v.length));
          expect(s.variance).to.be.closeTo(target, 0.04 * target);
          if (distribution === 'uniform') {
            expect(s.maxAbs).to.be.at.most(Math.sqrt(3 * target) * (1 + 1e-6));
          } else if (distribution === 'untruncatedNormal') {
            expect(s.maxAbs).to.be.greaterThan(3 * Math.sqrt(target));
          } else {
            // Truncated at two of its (corrected) standard deviations, and values reach near the bound.
            const bound = (2 * Math.sqrt(target)) / 0.87962566103423978;
            expect(s.maxAbs).to.be.at.most(bound * (1 + 1e-6));
            expect(s.maxAbs).to.be.greaterThan(0.98 * bound);
          }
        });
      }
    }
  }

  it('accepts Keras snake_case modes and distributions and reports camelCase in its config', () => {
    const vs = new VarianceScaling({ scale: 2, mode: 'fan_out', distribution: 'untruncated_normal', seed: 4 });
    expect(vs.getConfig()).to.deep.equal({ scale: 2, mode: 'fanOut', distribution: 'untruncatedNormal', seed: 4 });
    expect(new VarianceScaling().getConfig()).to.deep.equal({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: null });
    expect(new VarianceScaling({ mode: 'fan_avg', distribution: 'truncated_normal' }).getConfig()).to.include({ mode: 'fanAvg', distribution: 'truncatedNormal' });
    // 'normal' (TF.js's spelling) is kept as written so the config round-trips to TF.js unchanged.
    expect(new VarianceScaling({ distribution: 'normal' }).getConfig()).to.include({ distribution: 'normal' });
  });

  it('uses a fan of at least 1 (an empty-fan shape does not divide by zero)', async () => {
    const v = await read(new VarianceScaling({ distribution: 'uniform', mode: 'fanIn', seed: 1 }).apply([0, 5]));
    expect(v).to.deep.equal([]);
    const scalar = await read(new VarianceScaling({ distribution: 'uniform', seed: 1 }).apply([]));
    expect(Math.abs(scalar[0])).to.be.at.most(Math.sqrt(3));
  });

  const presets: [string, new (c?: { seed?: number | null }) => VarianceScaling, number, 'fanIn' | 'fanAvg', 'uniform' | 'truncatedNormal'][] = [
    ['GlorotUniform', GlorotUniform, 1, 'fanAvg', 'uniform'],
    ['GlorotNormal', GlorotNormal, 1, 'fanAvg', 'truncatedNormal'],
    ['HeUniform', HeUniform, 2, 'fanIn', 'uniform'],
    ['HeNormal', HeNormal, 2, 'fanIn', 'truncatedNormal'],
    ['LecunUniform', LecunUniform, 1, 'fanIn', 'uniform'],
    ['LecunNormal', LecunNormal, 1, 'fanIn', 'truncatedNormal'],
  ];
  for (const [name, Ctor, scale, mode, distribution] of presets) {
    it(`${name} is VarianceScaling(${scale}, ${mode}, ${distribution}) and matches core with its seed`, async () => {
      const shape = [3, 3, 30, 50];
      const [fi, fo] = fans(shape);
      const target = scale / (mode === 'fanIn' ? fi : (fi + fo) / 2);
      const init = new Ctor({ seed: 8 });
      expect(init.className).to.equal(name);
      expect(init.getConfig()).to.deep.equal({ seed: 8 });
      expect(new Ctor().getConfig()).to.deep.equal({ seed: null });
      const v = await read(init.apply(shape));
      expect(stats(v).variance).to.be.closeTo(target, 0.04 * target);
      const expected = distribution === 'uniform'
        ? await read(uniform(shape, -Math.sqrt(3 * target), Math.sqrt(3 * target), { seed: 8 }))
        : await read(truncatedNormal(shape, 0, Math.sqrt(target) / 0.87962566103423978, { seed: 8 }));
      for (let i = 0; i < v.length; i += 97) expect(v[i]).to.be.closeTo(expected[i], 1e-6 * Math.abs(expected[i]) + 1e-9);
    });
  }
});

/** QR of a tall float64 matrix by modified Gram-Schmidt: Q with orthonormal columns, R's diagonal positive. */
function referenceQ(a: number[][]): number[][] {
  const m = a.length;
  const n = a[0].length;
  const q = a.map((row) => row.slice());
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i][k] * q[i][j];
      for (let i = 0; i < m; i++) q[i][j] -= dot * q[i][k];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i][j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i][j] /= norm;
  }
  return q;
}

function toMatrix(v: readonly number[], rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(v.slice(i * cols, (i + 1) * cols)));
}

describe('initializers: orthogonal', () => {
  const cases: number[][] = [[24, 24], [40, 12], [12, 40], [3, 3, 4, 16], [2, 2, 8, 64], [1, 5]];
  for (const shape of cases) {
    it(`shape [${shape.join(', ')}]: orthonormal columns (or rows when wide), as Keras's sign-corrected QR`, async () => {
      const gain = 1.5;
      const cols = shape[shape.length - 1];
      const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
      const w = new Orthogonal({ gain, seed: 17 }).apply(shape);
      expect(w.shape).to.deep.equal(shape);
      const mat = toMatrix(await read(w), rows, cols);
      // W^T W = gain² I (tall/square), W W^T = gain² I (wide), in float64 on the host.
      const tall = rows >= cols;
      const k = tall ? cols : rows;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < (tall ? rows : cols); i++) dot += tall ? mat[i][a] * mat[i][b] : mat[a][i] * mat[b][i];
          expect(dot).to.be.closeTo(a === b ? gain * gain : 0, 2e-5);
        }
      }
      // The same values as Keras would compute from the same normal draw: Q of the QR with R's diagonal positive.
      const big = Math.max(rows, cols);
      const drawn = toMatrix(await read(normal([big, k], 0, 1, { seed: 17 })), big, k);
      const q = referenceQ(drawn);
      for (let i = 0; i < big; i++) {
        for (let j = 0; j < k; j++) {
          const got = tall ? mat[i][j] : mat[j][i];
          expect(got).to.be.closeTo(gain * q[i][j], 1e-4);
        }
      }
    });
  }

  it('is reproducible with a seed, honours gain 1 by default, and does not leak', async () => {
    const before = memory().numTensors;
    const a = await read(new Orthogonal({ seed: 3 }).apply([16, 8]));
    const b = await read(new Orthogonal({ seed: 3 }).apply([16, 8]));
    expect(a).to.deep.equal(b);
    expect(memory().numTensors).to.equal(before);
    const norms = [0, 1, 7].map((j) => Math.sqrt(a.filter((_, i) => i % 8 === j).reduce((s, x) => s + x * x, 0)));
    for (const n of norms) expect(n).to.be.closeTo(1, 1e-5);
    expect(await read(new Orthogonal().apply([0, 4]))).to.deep.equal([]);
  });

  it('rejects vectors, naming the shape and the fix', () => {
    expect(() => new Orthogonal().apply([5])).to.throw(/Orthogonal\.apply: argument 'shape' must have at least two dimensions \(a matrix or a conv kernel\); received \[5\] of rank 1\. Use another initializer/);
  });
});

describe('initializers: registry, configs and errors', () => {
  it('every factory builds its Keras class, and configs rebuild equal initializers', () => {
    const built: [Initializer, string][] = [
      [initializers.zeros(), 'Zeros'], [initializers.ones(), 'Ones'], [initializers.constant({ value: 2 }), 'Constant'],
      [initializers.randomUniform({ minval: -1, maxval: 2, seed: 1 }), 'RandomUniform'],
      [initializers.randomNormal({ mean: 1, stddev: 3, seed: 2 }), 'RandomNormal'],
      [initializers.truncatedNormal({ stddev: 0.1 }), 'TruncatedNormal'],
      [initializers.varianceScaling({ scale: 3, mode: 'fanAvg', distribution: 'uniform', seed: 5 }), 'VarianceScaling'],
      [initializers.glorotUniform({ seed: 1 }), 'GlorotUniform'], [initializers.glorotNormal(), 'GlorotNormal'],
      [initializers.heUniform(), 'HeUniform'], [initializers.heNormal(), 'HeNormal'],
      [initializers.lecunUniform(), 'LecunUniform'], [initializers.lecunNormal(), 'LecunNormal'],
      [initializers.leCunUniform(), 'LecunUniform'], [initializers.leCunNormal(), 'LecunNormal'],
      [initializers.orthogonal({ gain: 2, seed: 9 }), 'Orthogonal'], [initializers.identity({ gain: 0.5 }), 'Identity'],
    ];
    for (const [init, className] of built) {
      expect(init.className).to.equal(className);
      const rebuilt = getInitializer({ className: init.className, config: init.getConfig() });
      expect(rebuilt.constructor).to.equal(init.constructor);
      expect(rebuilt.getConfig()).to.deep.equal(init.getConfig());
      expect(JSON.parse(JSON.stringify(init.getConfig()))).to.deep.equal(init.getConfig());
    }
    expect(initializers.randomUniform().getConfig()).to.deep.equal({ minval: -0.05, maxval: 0.05, seed: null });
    expect(initializers.randomNormal().getConfig()).to.deep.equal({ mean: 0, stddev: 0.05, seed: null });
    expect(initializers.orthogonal().getConfig()).to.deep.equal({ gain: 1, seed: null });
    expect(initializers.identity().getConfig()).to.deep.equal({ gain: 1 });
    expect(initializers.constant().getConfig()).to.deep.equal({ value: 0 });
  });

  it('resolves Keras snake_case, camelCase, TF.js and alias names, and passes instances through', () => {
    const names: [string, string][] = [
      ['zeros', 'Zeros'], ['zero', 'Zeros'], ['ones', 'Ones'], ['one', 'Ones'], ['constant', 'Constant'],
      ['random_uniform', 'RandomUniform'], ['uniform', 'RandomUniform'], ['randomNormal', 'RandomNormal'], ['normal', 'RandomNormal'],
      ['truncated_normal', 'TruncatedNormal'], ['variance_scaling', 'VarianceScaling'], ['glorot_uniform', 'GlorotUniform'],
      ['glorotNormal', 'GlorotNormal'], ['he_uniform', 'HeUniform'], ['heNormal', 'HeNormal'], ['lecun_uniform', 'LecunUniform'],
      ['LeCunNormal', 'LecunNormal'], ['leCunUniform', 'LecunUniform'], ['orthogonal', 'Orthogonal'],
      ['OrthogonalInitializer', 'Orthogonal'], ['identity', 'Identity'], ['IdentityInitializer', 'Identity'],
    ];
    for (const [name, className] of names) expect(getInitializer(name).className, name).to.equal(className);
    const inst = new HeNormal({ seed: 1 });
    expect(getInitializer(inst)).to.equal(inst);
    expect(initializerRegistry.names()).to.include.members(['GlorotUniform', 'Orthogonal', 'VarianceScaling', 'Identity']);
  });

  it('reads Keras JSON configs with snake_case keys', () => {
    const mm = getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'uniform', seed: null } });
    expect(mm.getConfig()).to.deep.equal({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: null });
    expect(getInitializer({ className: 'glorot_uniform', config: { seed: 3 } }).getConfig()).to.deep.equal({ seed: 3 });
  });

  it('unknown names list the known initializers', () => {
    expect(() => getInitializer('glorot')).to.throw(/Unknown initializer "glorot"\. Known initializers: .*GlorotUniform.*Orthogonal/);
    expect(() => getInitializer(42 as unknown as string)).to.throw(/Expected an initializer: a name \(one of .*Zeros\).*received number 42/);
  });

  it('option errors name the class, the option, the received value and what it must be', () => {
    expect(() => new VarianceScaling({ scale: 0 })).to.throw("VarianceScaling: option 'scale' must be a positive finite number; received number 0.");
    expect(() => new VarianceScaling({ scale: -1 })).to.throw(/option 'scale' must be a positive finite number; received number -1/);
    expect(() => new VarianceScaling({ mode: 'fanin' as 'fanIn' })).to.throw("VarianceScaling: option 'mode' must be one of 'fanIn' or 'fan_in', 'fanOut' or 'fan_out', 'fanAvg' or 'fan_avg'; received string \"fanin\".");
    expect(() => new VarianceScaling({ distribution: 'gaussian' as 'normal' })).to.throw(/option 'distribution' must be one of 'truncatedNormal' or 'truncated_normal', 'untruncatedNormal' or 'untruncated_normal', 'normal', 'uniform'; received string "gaussian"/);
    expect(() => new RandomUniform({ minval: 1, maxval: 1 })).to.throw("RandomUniform: option 'maxval' must be greater than minval (1); received number 1.");
    expect(() => new RandomNormal({ stddev: -0.1 })).to.throw("RandomNormal: option 'stddev' must be a non-negative finite number; received number -0.1.");
    expect(() => new TruncatedNormal({ mean: Number.NaN })).to.throw("TruncatedNormal: option 'mean' must be a finite number; received number NaN.");
    expect(() => new Constant({ value: '1' as unknown as number })).to.throw("Constant: option 'value' must be a finite number; received string \"1\".");
    expect(() => new GlorotUniform({ seed: -1 })).to.throw("GlorotUniform: option 'seed' must be a non-negative integer (or omitted for the global seed stream); received number -1.");
    expect(() => new Orthogonal({ seed: 1.5 })).to.throw(/Orthogonal: option 'seed' must be a non-negative integer.*received number 1\.5/);
    expect(() => new RandomNormal({ stdev: 1 } as never)).to.throw("RandomNormal: unknown option 'stdev' (received number 1). Known options: mean, stddev, seed; remove it or fix its spelling.");
    expect(() => new HeNormal({ scale: 2 } as never)).to.throw("HeNormal: unknown option 'scale' (received number 2). Known options: seed; remove it or fix its spelling.");
    expect(() => new Zeros({ value: 1 } as never)).to.throw("Zeros: unknown option 'value' (received number 1). Zeros takes no options; remove it or fix its spelling.");
    expect(() => new Constant(5 as never)).to.throw('Constant: expected an options object with keys among value; received number 5.');
  });

  it('apply errors name the initializer, the argument, the received value and the fix', () => {
    expect(() => new HeNormal().apply([3, -1])).to.throw("HeNormal.apply: argument 'shape' must be an array of non-negative integers; received [3, -1].");
    expect(() => new Zeros().apply([2.5])).to.throw(/Zeros\.apply: argument 'shape' must be an array of non-negative integers; received \[2\.5\]/);
    expect(() => new GlorotUniform().apply([2, 2], 'int32')).to.throw("GlorotUniform.apply: argument 'dtype' must be 'float32' (GlorotUniform draws random floats; cast the result if you need another dtype); received string \"int32\".");
    expect(() => new Orthogonal().apply([2, 2], 'bool')).to.throw(/Orthogonal\.apply: argument 'dtype' must be 'float32'/);
    expect(() => new IdentityInitializer().apply([2, 2], 'bool')).to.throw("Identity.apply: argument 'dtype' must be 'float32' or 'int32'; received string \"bool\".");
    expect(() => new Zeros().apply([2], 'float64' as never)).to.throw(/Zeros\.apply: argument 'dtype' must be 'float32' or 'int32' or 'bool'; received string "float64"/);
  });

  it('leaves no tensors behind besides the one it returns', async () => {
    const all: Initializer[] = [
      new Zeros(), new Ones(), new Constant({ value: 1 }), new RandomUniform(), new RandomNormal(), new TruncatedNormal(),
      new VarianceScaling(), new GlorotUniform(), new GlorotNormal(), new HeUniform(), new HeNormal(), new LecunUniform(),
      new LecunNormal(), new Orthogonal({ gain: 2 }), new IdentityInitializer({ gain: 2 }),
    ];
    for (const init of all) {
      const before = memory().numTensors;
      const t = init.apply([6, 6]);
      expect(memory().numTensors, init.className).to.equal(before + 1);
      t.dispose();
      expect(memory().numTensors, init.className).to.equal(before);
    }
  });
});
