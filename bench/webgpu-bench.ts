/**
 * WebGPU bench: Strata's WebGPU engine against tfjs-backend-webgpu on the same Dawn adapter, in one
 * process, on the same inputs. On machines without a GPU the adapter is Mesa's llvmpipe (software
 * WebGPU through OpenGL ES), which is slow: the shapes are kept small, and the ratios are the point.
 *
 * Both libraries queue GPU work and only wait when a result is read, so every figure times N calls
 * plus one read-back at the end, never one call on its own.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as st from 'strata';
// From source, as the CPU bench imports the CPU engine's: the package exports only its engine, and
// the bench needs the process's Dawn `GPU` object, which `acquireDevice` caches per option set.
import { acquireDevice } from '../packages/engine-webgpu/src/device.js';
import type { WebGpuEngine } from '../packages/engine-webgpu/src/webgpu-engine.js';
import { loadTfjsWebGpu, type TfjsWebGpuInfo } from './tfjs-webgpu.js';
import { seededValues } from './timing.js';
import { seededLabels, strataMlp, tfjsMlp, type TrainingRow } from './training-bench.js';

type Tf = typeof TF;

/** Both libraries started on one adapter; `tfjsError` says why TF.js could not, if it could not. */
export interface WebGpuSession {
  tf: Tf;
  /** The adapter Strata's engine runs on, e.g. 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6'. */
  adapter: string;
  tfjs: TfjsWebGpuInfo | null;
  tfjsError: string | null;
}

/** One matmul shape on both libraries; a figure is NaN where that library failed (see `error`). */
export interface WebGpuMatmulRow {
  label: string;
  flops: number;
  strataMs: number;
  tfjsMs: number;
  /** Largest |strata - tfjs| over the output, relative to the largest |tfjs| value. */
  relativeDiff: number;
  error: string | null;
}

/**
 * Starts Strata's WebGPU engine (`ready({ engine: 'webgpu' })`), then TF.js's WebGPU backend on the
 * same Dawn `GPU` object. Returns a string saying why when the WebGPU part must be skipped: turned
 * off with STRATA_BENCH_WEBGPU=0, no adapter, or Strata tensors still alive from earlier work (the
 * core runs one engine per process and switches only while none are alive).
 *
 * @example
 * const session = await startWebGpu(tf);
 * if (typeof session === 'string') console.log(`WebGPU skipped: ${session}`);
 */
export async function startWebGpu(tf: Tf): Promise<WebGpuSession | string> {
  if (process.env.STRATA_BENCH_WEBGPU === '0') return 'STRATA_BENCH_WEBGPU=0';
  let info: st.EngineInfo;
  try {
    // Strata's device must be started before navigator.gpu exists: with it, the engine would take
    // the browser path and start a second device instead of reusing the process's Dawn one.
    info = await st.ready({ engine: 'webgpu', seed: 1 });
  } catch (error) {
    return `Strata's WebGPU engine could not start: ${(error as Error).message}`;
  }
  const engine = st.activeEngine().engine as unknown as WebGpuEngine;
  // Same options, same cache entry: this is the device the engine above was created on.
  const gpuDevice = await acquireDevice(info.options as GPURequestAdapterOptions);
  if (gpuDevice.device !== engine.runtime.device) {
    return 'could not find the Dawn GPU object behind Strata\'s engine (the bench and strata loaded two copies of @strata/engine-webgpu)';
  }
  const session: WebGpuSession = { tf, adapter: engine.adapterDescription, tfjs: null, tfjsError: null };
  try {
    session.tfjs = await loadTfjsWebGpu(tf, gpuDevice.gpu, info.options as GPURequestAdapterOptions);
    if (session.tfjs.adapterDescription !== session.adapter) {
      session.tfjsError = `TF.js got another adapter (${session.tfjs.adapterDescription}); its figures are not comparable`;
    }
  } catch (error) {
    session.tfjs = null;
    session.tfjsError = (error as Error).message;
  }
  return session;
}

function median(samples: number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A tensor of either library, as far as the timing loop needs one. */
interface Result {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/**
 * Milliseconds per call of `calls` back-to-back calls of `op`, with one read-back of the last result
 * at the end: each earlier result is disposed as soon as the next call is queued, as a loop would.
 */
async function timeQueued(op: () => Result, calls: number): Promise<number> {
  const start = performance.now();
  let last: Result | null = null;
  for (let i = 0; i < calls; i++) {
    const next = op();
    last?.dispose();
    last = next;
  }
  await last!.data();
  const ms = (performance.now() - start) / calls;
  last!.dispose();
  return ms;
}

/**
 * `m x k` times `k x n` matmul on both libraries: warm-up (pipeline compiles), a check that both
 * give the same product, then `runs` interleaved samples of `calls` queued calls plus one read-back.
 * A Strata failure (a kernel not written yet, say) leaves its figure NaN and the message in `error`.
 *
 * @example
 * const row = await benchWebGpuMatmul(session, 256, 256, 256);
 */
export async function benchWebGpuMatmul(
  session: WebGpuSession, m: number, k: number, n: number, label = `matmul ${m}x${k}x${n}`,
): Promise<WebGpuMatmulRow> {
  const { tf } = session;
  const flops = 2 * m * k * n;
  // About 0.25 s of work per sample at 2 GFLOP/s, at least 2 calls, so small shapes are not all overhead.
  const calls = Math.max(2, Math.round(5e8 / flops));
  const runs = 5;
  const av = seededValues(m * k, 1), bv = seededValues(k * n, 2);
  const row: WebGpuMatmulRow = { label, flops, strataMs: Number.NaN, tfjsMs: Number.NaN, relativeDiff: Number.NaN, error: null };

  let sa: st.Tensor | null = null, sb: st.Tensor | null = null;
  let strataOp: (() => Result) | null = null;
  let strataOut: ArrayLike<number> | null = null;
  try {
    sa = st.tensor(av, [m, k]);
    sb = st.tensor(bv, [k, n]);
    const a = sa, b = sb;
    strataOp = () => st.matmul(a, b);
    for (let i = 0; i < 2; i++) {
      const c = strataOp();
      strataOut = await c.data();
      c.dispose();
    }
  } catch (error) {
    row.error = `strata: ${messageOf(error)}`;
    strataOp = null;
  }

  let tfjsOp: (() => Result) | null = null;
  let ta: TF.Tensor | null = null, tb: TF.Tensor | null = null;
  if (session.tfjs) {
    ta = tf.tensor2d(av, [m, k]);
    tb = tf.tensor2d(bv, [k, n]);
    const a = ta, b = tb;
    tfjsOp = () => tf.matMul(a, b);
    let tfjsOut: ArrayLike<number> | null = null;
    for (let i = 0; i < 2; i++) {
      const c = tfjsOp();
      tfjsOut = await c.data();
      c.dispose();
    }
    if (strataOut && tfjsOut) row.relativeDiff = relativeDifference(strataOut, tfjsOut);
  }

  const strataSamples: number[] = [], tfjsSamples: number[] = [];
  for (let r = 0; r < runs; r++) {
    // Interleaved, so load from other processes on a shared machine hits both alike.
    if (strataOp) {
      try {
        strataSamples.push(await timeQueued(strataOp, calls));
      } catch (error) {
        row.error = `strata: ${messageOf(error)}`;
        strataOp = null;
      }
    }
    if (tfjsOp) tfjsSamples.push(await timeQueued(tfjsOp, calls));
  }
  row.strataMs = median(strataSamples);
  row.tfjsMs = median(tfjsSamples);
  st.dispose([sa, sb].filter((t): t is st.Tensor => t !== null));
  tf.dispose([ta, tb].filter((t): t is TF.Tensor => t !== null));
  return row;
}

function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return a.length === b.length ? diff / (scale || 1) : Number.POSITIVE_INFINITY;
}

/** Copies the Strata model's weights into the TF.js model; read asynchronously, as WebGPU requires. */
async function copyWeights(tf: Tf, from: st.LayersModel, to: tfl.LayersModel): Promise<void> {
  const values = from.getWeights();
  try {
    const tensors = [];
    for (const w of values) tensors.push(tf.tensor(await w.data() as Float32Array, [...w.shape]));
    to.setWeights(tensors);
    tf.dispose(tensors);
  } finally {
    st.dispose(values);
  }
}

/**
 * MLP 784-256-128-10 (adam) training through the layers API on both libraries, from the same
 * weights (Strata's glorot draw copied into TF.js) and the same random data of the Fashion-MNIST
 * shape. Rows: samples/s of `fit` at batch 128 (one warm-up epoch, then the median of 3 interleaved
 * epochs), and ms per step at batch 16, where per-dispatch overhead dominates. Where Strata cannot
 * train yet, the rows keep TF.js's figure and say why.
 *
 * @example
 * const rows = await benchWebGpuTraining(session);
 */
export async function benchWebGpuTraining(session: WebGpuSession): Promise<TrainingRow[]> {
  const { tf } = session;
  const n = 1024, batchSize = 128, small = 16, smallSteps = 8;
  const xv = seededValues(n * 784, 11), yv = seededLabels(n, 12);
  const liveBefore = st.memory().numTensors;

  let sm: st.LayersModel | null = null;
  let sx: st.Tensor | null = null, sy: st.Tensor | null = null, sxs: st.Tensor | null = null, sys: st.Tensor | null = null;
  let strataError: string | null = null;
  const tm = session.tfjs ? tfjsMlp() : null;
  const tx = tm ? tf.tensor2d(xv, [n, 784]) : null, ty = tm ? tf.tensor2d(yv, [n, 1]) : null;
  const txs = tm ? tf.tensor2d(xv.subarray(0, small * smallSteps * 784), [small * smallSteps, 784]) : null;
  const tys = tm ? tf.tensor2d(yv.subarray(0, small * smallSteps), [small * smallSteps, 1]) : null;
  try {
    sx = st.tensor(xv, [n, 784]);
    sy = st.tensor(yv, [n, 1]);
    sxs = st.tensor(xv.subarray(0, small * smallSteps * 784), [small * smallSteps, 784]);
    sys = st.tensor(yv.subarray(0, small * smallSteps), [small * smallSteps, 1]);
    sm = strataMlp();
    if (tm) await copyWeights(tf, sm, tm);
  } catch (error) {
    strataError = messageOf(error);
  }

  /** Runs `fit` for Strata, dropping Strata from the rest of the bench on its first failure. */
  const strataFit = async (x: st.Tensor, y: st.Tensor, args: { epochs: number; batchSize: number; verbose: 0 }): Promise<number> => {
    if (!sm || strataError) return Number.NaN;
    try {
      const start = performance.now();
      await sm.fit(x, y, args);
      return performance.now() - start;
    } catch (error) {
      strataError = messageOf(error);
      return Number.NaN;
    }
  };
  const tfjsFit = async (x: TF.Tensor | null, y: TF.Tensor | null, args: { epochs: number; batchSize: number; verbose: 0 }): Promise<number> => {
    if (!tm || !x || !y) return Number.NaN;
    const start = performance.now();
    await tm.fit(x, y, args);
    return performance.now() - start;
  };

  const fitArgs = { epochs: 1, batchSize, verbose: 0 as const };
  const smallArgs = { epochs: 1, batchSize: small, verbose: 0 as const };
  // Warm-up: every pipeline both libraries need is compiled here (several seconds on llvmpipe).
  await strataFit(sx!, sy!, fitArgs);
  await tfjsFit(tx, ty, fitArgs);
  await strataFit(sxs!, sys!, smallArgs);
  await tfjsFit(txs, tys, smallArgs);

  const sEpoch: number[] = [], tEpoch: number[] = [];
  for (let r = 0; r < 3; r++) {
    sEpoch.push(await strataFit(sx!, sy!, fitArgs));
    tEpoch.push(await tfjsFit(tx, ty, fitArgs));
  }
  const strataRate = n / (median(sEpoch.filter((v) => !Number.isNaN(v))) / 1000);
  const tfjsRate = n / (median(tEpoch) / 1000);
  const sStep = (await strataFit(sxs!, sys!, smallArgs)) / smallSteps;
  const tStep = (await tfjsFit(txs, tys, smallArgs)) / smallSteps;

  const why = (note: string) => (strataError ? `strata: ${strataError}` : note);
  const rows: TrainingRow[] = [
    {
      label: `MLP fit, batch ${batchSize} (${n} samples)`, unit: 'samples/s', strata: strataRate, tfjs: tfjsRate,
      ratio: strataRate / tfjsRate, note: why('median of 3 epochs each, after a warm-up epoch'),
    },
    {
      label: `MLP fit, batch ${small}: ms per step`, unit: 'ms/step', strata: sStep, tfjs: tStep,
      ratio: tStep / sStep, note: why(`${smallSteps} steps`),
    },
  ];

  st.dispose([sx, sy, sxs, sys].filter((t): t is st.Tensor => t !== null));
  sm?.dispose();
  tf.dispose([tx, ty, txs, tys].filter((t) => t !== null) as TF.Tensor[]);
  tm?.dispose();
  const leaked = st.memory().numTensors - liveBefore;
  if (leaked !== 0) console.log(`(strata: ${leaked} tensor(s) left alive by the WebGPU training bench)`);
  return rows;
}
