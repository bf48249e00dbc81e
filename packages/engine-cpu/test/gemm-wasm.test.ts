import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gemmBlocked, gemmScratch } from '../src/kernels/gemm-blocked.js';
import { gemm } from '../src/kernels/gemm-core.js';
import type { StridedMatrix } from '../src/kernels/gemm-types.js';
import { gemmBlockedWasm, gemmWasmAvailable, gemmWasmInstantiate } from '../src/kernels/gemm-wasm.js';
import { GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64 } from '../src/wasm/gemm-wasm.generated.js';
import { randomValues } from './fast-kernel-helpers.js';

/** A `rows x cols` matrix stored with padding: row-major, or column-major (a transpose via strides). */
function strided(rows: number, cols: number, colMajor: boolean, pad: number, seed: number): StridedMatrix {
  const ld = (colMajor ? rows : cols) + pad;
  const offset = 3;
  const data = randomValues(offset + ld * (colMajor ? cols : rows), seed);
  return colMajor
    ? { data, offset, rowStride: 1, colStride: ld }
    : { data, offset, rowStride: ld, colStride: 1 };
}

/** Float64 reference `A B` for strided operands. */
function reference(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += a.data[a.offset + i * a.rowStride + p * a.colStride]! * b.data[b.offset + p * b.rowStride + j * b.colStride]!;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}

/**
 * Elementwise closeness for float32 accumulation of k unit-range products: the error grows like
 * sqrt(k) ulps, relative to max(1, |expected|).
 */
function expectNear(got: Float32Array, want: ArrayLike<number>, k: number, what: string): void {
  const tol = 4e-7 * Math.sqrt(k) * 4 + 1e-6 * Math.max(1, Math.sqrt(k));
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= tol * Math.max(1, Math.abs(want[i]!)))) expect.fail(`${what}: index ${i}: got ${got[i]}, expected ${want[i]}`);
  }
}

/**
 * `describe` for the blocks that need the WASM kernel: where it is off (`STRATA_CPU_WASM=0`) or the
 * runtime lacks WebAssembly SIMD, the block skips and prints why instead of vanishing silently.
 */
function describeWasm(title: string, body: () => void): void {
  describe(title, function () {
    before(function () {
      if (gemmWasmAvailable()) return;
      const why = process.env['STRATA_CPU_WASM'] === '0' ? 'STRATA_CPU_WASM=0 turns the WASM kernel off' : 'this runtime has no WebAssembly SIMD';
      console.log(`      skipped: ${why}, so only the pure-TypeScript GEMM runs here`);
      this.skip();
    });
    body();
  });
}

describe('gemm wasm: generated module', () => {
  it('is up to date with assembly/gemm.ts (else run `pnpm --filter @strata/engine-cpu build:wasm`)', function () {
    this.timeout(60_000);
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    // Throws (non-zero exit) when a fresh asc build differs from the committed module.
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' });
  });

  it('instantiates synchronously where WebAssembly SIMD exists, and honours STRATA_CPU_WASM=0', () => {
    const saved = process.env['STRATA_CPU_WASM'];
    try {
      process.env['STRATA_CPU_WASM'] = '0';
      expect(gemmWasmInstantiate(GEMM_WASM_BASE64)).to.equal(null);
      delete process.env['STRATA_CPU_WASM'];
      const w = gemmWasmInstantiate(GEMM_WASM_BASE64);
      // Node 20 has SIMD; elsewhere null means the pure-TS kernel runs.
      expect(w === null || typeof w.macro === 'function').to.equal(true);
      expect(gemmWasmInstantiate('AAAA')).to.equal(null);
      // Without the relaxed build the plain one loads; a broken relaxed build falls back to it.
      if (w !== null) {
        expect(w.fma).to.equal(false);
        expect(gemmWasmInstantiate(GEMM_WASM_BASE64, 'AAAA')?.fma).to.equal(false);
        const either = gemmWasmInstantiate(GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64);
        expect(either?.fma).to.equal(WebAssembly.validate(Buffer.from(GEMM_WASM_RELAXED_BASE64, 'base64')));
      }
    } finally {
      if (saved === undefined) delete process.env['STRATA_CPU_WASM'];
      else process.env['STRATA_CPU_WASM'] = saved;
    }
  });
});

describeWasm('gemm wasm: matches the TS kernel', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1], [3, 3, 3], [4, 8, 1], [5, 9, 7], [7, 13, 2], [17, 31, 19], [33, 8, 65],
    [129, 17, 385], [64, 1030, 40], [130, 1025, 9], [3, 200, 769],
  ];
  for (const [m, n, k] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m}x${k} · ${k}x${n}${ta ? ' A^T' : ''}${tb ? ' B^T' : ''}`, () => {
        const a = strided(m, k, ta, 2, m * 31 + k);
        const b = strided(k, n, tb, 5, n * 17 + k);
        const want = reference(m, n, k, a, b);
        const ldc = n + 3, cOffset = 2;
        const cw = new Float32Array(cOffset + m * ldc).fill(-7);
        const ct = new Float32Array(cOffset + m * ldc).fill(-7);
        for (let i = 0; i < m; i++) {
          cw.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
          ct.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
        }
        gemmBlockedWasm(m, n, k, a, b, cw, cOffset, ldc);
        gemmBlocked(m, n, k, a, b, ct, cOffset, ldc, gemmScratch());
        const compact = (c: Float32Array) => {
          const out = new Float32Array(m * n);
          for (let i = 0; i < m; i++) out.set(c.subarray(cOffset + i * ldc, cOffset + i * ldc + n), i * n);
          return out;
        };
        expectNear(compact(cw), want, k, 'wasm vs reference');
        expectNear(compact(cw), compact(ct), k, 'wasm vs ts');
        // Padding around C is untouched.
        expect(cw[0]).to.equal(-7);
        for (let i = 0; i < m; i++) for (let j = n; j < ldc && cOffset + i * ldc + j < cw.length; j++) {
          expect(cw[cOffset + i * ldc + j]).to.equal(-7);
        }
      });
    }
  }

  it('accumulates into C', () => {
    const m = 37, n = 45, k = 100;
    const a = strided(m, k, false, 0, 1), b = strided(k, n, true, 1, 2);
    const c = randomValues(m * n, 3);
    const want = reference(m, n, k, a, b).map((v, i) => v + c[i]!);
    gemm(m, n, k, a, b, c, 0, n, true);
    expectNear(c, want, k, 'accumulate');
  });

  it('runs the whole product through gemm() (parallel path included) within float32 rounding', function () {
    this.timeout(20_000);
    const m = 200, n = 160, k = 300;
    const a = strided(m, k, true, 1, 4), b = strided(k, n, false, 0, 5);
    const c = new Float32Array(m * n).fill(5);
    gemm(m, n, k, a, b, c, 0, n, false);
    expectNear(c, reference(m, n, k, a, b), k, 'gemm');
  });
});

describeWasm('gemm wasm: relaxed-SIMD (fused multiply-add) build', () => {
  it('matches the reference where the engine has relaxed SIMD (Node 20: behind a V8 flag)', function () {
    this.timeout(60_000);
    // Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd, so the check runs
    // in a child process with that flag; later Node versions have it on by default.
    const modUrl = new URL('../src/kernels/gemm-wasm.ts', import.meta.url).href;
    const genUrl = new URL('../src/wasm/gemm-wasm.generated.ts', import.meta.url).href;
    const script = `
      const { gemmWasmInstantiate, gemmWasmRun } = await import(${JSON.stringify(modUrl)});
      const { GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64 } = await import(${JSON.stringify(genUrl)});
      const w = gemmWasmInstantiate(GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64);
      const m = 37, n = 29, k = 413;
      const rnd = (i) => Math.sin(i * 12.9898) * 0.5;
      const A = Float32Array.from({ length: m * k }, (_, i) => rnd(i)), B = Float32Array.from({ length: k * n }, (_, i) => rnd(i + 7));
      const c = new Float32Array(m * n);
      gemmWasmRun(w, m, n, k, { data: A, offset: 0, rowStride: 1, colStride: m }, { data: B, offset: 0, rowStride: n, colStride: 1 }, c, 0, n);
      let err = 0;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[p * m + i] * B[p * n + j];
        err = Math.max(err, Math.abs(s - c[i * n + j]));
      }
      console.log(JSON.stringify({ fma: w.fma, err }));`;
    const native = WebAssembly.validate(Buffer.from(GEMM_WASM_RELAXED_BASE64, 'base64'));
    const flags = native ? [] : ['--experimental-wasm-relaxed-simd'];
    const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const { fma, err } = JSON.parse(out.trim().split('\n').pop()!) as { fma: boolean; err: number };
    expect(fma).to.equal(true);
    expect(err).to.be.below(1e-4);
  });
});
